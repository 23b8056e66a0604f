/* genius_dir.c: finding the domain and profile files of a GENIUS scenario
 * folder by their root elements, and loading them. */
#include <dirent.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/error.h"
#include "../core/limits.h"
#include "genius.h"
#include "xmlutil.h"

typedef struct entry {
    char *path;
    xmlDocPtr doc;
} entry;

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static int ends_with_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* First non-blank byte of a file, or -1. Files that do not start with '<'
 * (such as the pareto.xml point lists beside ANAC 2014 scenarios) are not
 * scenario files and are skipped; a file that starts like XML but does not
 * parse is an error, never silently skipped. */
static int first_byte(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int c;
    while ((c = fgetc(f)) != EOF &&
           (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xEF || c == 0xBB || c == 0xBF))
        ;
    fclose(f);
    return c;
}

static void free_entries(entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (e[i].doc)
            xmlFreeDoc(e[i].doc);
        free(e[i].path);
    }
    free(e);
}

static int list_xml(const char *dir, entry **out, size_t *count, truce_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return error_set(err, TRUCE_EIO, dir, 0, NULL, "cannot open folder");
    entry *list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && rc == 0) {
        if (!ends_with_xml(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            entry *grown = realloc(list, cap * sizeof *list);
            if (!grown) {
                rc = error_nomem(err);
                break;
            }
            list = grown;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        list[n].path = malloc(len);
        list[n].doc = NULL;
        if (!list[n].path) {
            rc = error_nomem(err);
            break;
        }
        snprintf(list[n].path, len, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (rc) {
        free_entries(list, n);
        return rc;
    }
    if (n)
        qsort(list, n, sizeof *list, compare_entries);
    *out = list;
    *count = n;
    return 0;
}

static const char *folder_name(const char *dir, char *buf, size_t size)
{
    snprintf(buf, size, "%s", dir);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    const char *slash = strrchr(buf, '/');
    return slash ? slash + 1 : buf;
}

int truce_scenario_load_dir(truce_scenario **out, const char *dir, const truce_load_options *opts,
                            truce_error *err)
{
    error_clear(err);
    if (!out || !dir)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc)
        return rc;
    xmlInitParser();
    entry *files = NULL;
    size_t n = 0;
    rc = list_xml(dir, &files, &n, err);
    if (rc)
        return rc;
    if (n == 0) { /* no XML at all: a GeniusWeb folder, or nothing */
        free_entries(files, n);
        char name[512];
        return geniusweb_load_dir(out, dir, folder_name(dir, name, sizeof name), opts, err);
    }
    size_t n_domains = 0, n_profiles = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (first_byte(files[i].path) != '<')
            continue;
        if ((rc = limit_file_size(files[i].path, &lim, err)))
            break;
        rc = xml_parse_file(&files[i].doc, files[i].path, err);
        if (rc)
            break;
        xmlNodePtr root = xmlDocGetRootElement(files[i].doc);
        if (xml_is(root, "negotiation_template"))
            n_domains++;
        else if (xml_is(root, "utility_space"))
            n_profiles++;
    }
    if (rc == 0 && n_domains != 1) {
        char list[700] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used < sizeof list; i++) {
            xmlNodePtr root = files[i].doc ? xmlDocGetRootElement(files[i].doc) : NULL;
            if (n_domains == 0 || xml_is(root, "negotiation_template"))
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                                         strrchr(files[i].path, '/') + 1);
        }
        rc = error_set(err, TRUCE_EINVAL, dir, 0, NULL,
                       n_domains == 0 ? "no GENIUS domain file (root <negotiation_template>) "
                                        "in this folder; files: %s"
                                      : "ambiguous: several domain files (%s); give the "
                                        "domain and profile files explicitly",
                       *list ? list : "none");
    }
    if (rc == 0 && n_profiles == 0)
        rc = error_set(err, TRUCE_EINVAL, dir, 0, NULL,
                       "no GENIUS profile file (root <utility_space>) in this folder");
    if (rc == 0) {
        xmlDocPtr domain = NULL;
        const char *domain_path = NULL;
        xmlDocPtr *docs = malloc(n_profiles * sizeof *docs);
        const char **paths = malloc(n_profiles * sizeof *paths);
        if (!docs || !paths) {
            rc = error_nomem(err);
        } else {
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                xmlNodePtr root = files[i].doc ? xmlDocGetRootElement(files[i].doc) : NULL;
                if (xml_is(root, "negotiation_template")) {
                    domain = files[i].doc;
                    domain_path = files[i].path;
                } else if (xml_is(root, "utility_space")) {
                    docs[k] = files[i].doc;
                    paths[k++] = files[i].path;
                }
            }
            char name[512];
            rc = genius_load_docs(out, domain, domain_path, docs, paths, n_profiles,
                                  folder_name(dir, name, sizeof name), opts, err);
        }
        free(docs);
        free(paths);
    }
    free_entries(files, n);
    return rc;
}
