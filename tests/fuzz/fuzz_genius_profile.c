/* fuzz_genius_profile.c: libFuzzer target for the GENIUS profile reader: the input is a profile,
 * loaded against a domain made from the issues it declares, and against a fixed domain. */
#define _DEFAULT_SOURCE
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"

/* One issue of each kind, indices 1 to 3 (tests/data/handmade). */
static const char fixed_domain[] =
    "<negotiation_template><utility_space><objective>"
    "<issue index=\"1\" name=\"color\" type=\"discrete\"><item value=\"red\"/>"
    "<item value=\"green\"/><item value=\"blue\"/></issue>"
    "<issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"0\" upperbound=\"4\"/>"
    "<issue index=\"3\" name=\"level\" type=\"real\"><range lowerbound=\"0\" upperbound=\"10\"/>"
    "</issue></objective></utility_space></negotiation_template>\n";

static void ignore_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void copy_attr(xmlNodePtr from, xmlNodePtr to, const char *name)
{
    xmlChar *v = xmlGetProp(from, (const xmlChar *)name);
    if (v) {
        xmlNewProp(to, (const xmlChar *)name, v);
        xmlFree(v);
    }
}

/* Issues below `node` (through nested objectives, as the reader looks):
 * each copied into the domain with its index, name, type, bounds and the
 * values of its items. */
static void copy_issues(xmlNodePtr node, xmlNodePtr objective, int depth)
{
    if (depth > 32)
        return;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, (const xmlChar *)"objective")) {
            copy_issues(c, objective, depth + 1);
            continue;
        }
        if (xmlStrcmp(c->name, (const xmlChar *)"issue"))
            continue;
        xmlNodePtr is = xmlNewChild(objective, NULL, (const xmlChar *)"issue", NULL);
        static const char *const attrs[] = {"index", "name",       "type",       "vtype",
                                            "etype", "lowerbound", "upperbound", NULL};
        for (int k = 0; attrs[k]; k++)
            copy_attr(c, is, attrs[k]);
        for (xmlNodePtr item = c->children; item; item = item->next) {
            if (item->type != XML_ELEMENT_NODE)
                continue;
            if (!xmlStrcmp(item->name, (const xmlChar *)"item")) {
                xmlNodePtr copy = xmlNewChild(is, NULL, (const xmlChar *)"item", NULL);
                copy_attr(item, copy, "value");
            } else if (!xmlStrcmp(item->name, (const xmlChar *)"range")) {
                xmlNodePtr copy = xmlNewChild(is, NULL, (const xmlChar *)"range", NULL);
                copy_attr(item, copy, "lowerbound");
                copy_attr(item, copy, "upperbound");
            }
        }
    }
}

/* The domain the profile was written for, or 0 when the input is no XML
 * profile (the fixed domain then serves alone). */
static int derive_domain(const uint8_t *data, size_t size, const char *path)
{
    if (size > 1 << 20)
        return 0;
    xmlDocPtr in = xmlReadMemory((const char *)data, (int)size, "profile.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = in ? xmlDocGetRootElement(in) : NULL;
    if (!root) {
        xmlFreeDoc(in);
        return 0;
    }
    xmlDocPtr out = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr top = xmlNewNode(NULL, (const xmlChar *)"negotiation_template");
    FUZZ_CHECK(out && top);
    xmlDocSetRootElement(out, top);
    xmlNodePtr space = xmlNewChild(top, NULL, (const xmlChar *)"utility_space", NULL);
    xmlNodePtr objective = xmlNewChild(space, NULL, (const xmlChar *)"objective", NULL);
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, (const xmlChar *)"objective"))
            copy_issues(c, objective, 0);
    FUZZ_CHECK(xmlSaveFormatFileEnc(path, out, "UTF-8", 0) >= 0);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    return 1;
}

static void load(const char *domain, const char *profile, int parties)
{
    truce_load_options opts = fuzz_load_options();
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {profile, profile};
    int rc = truce_scenario_load_genius(&s, domain, profiles, (size_t)parties, &opts, &err);
    if (fuzz_verbose())
        fprintf(stderr, "  %s: %s\n", strrchr(domain, '/') + 1, rc ? err.message : "loaded");
    if (rc) {
        fuzz_check_refusal(rc, s, &err);
        return;
    }
    fuzz_check_scenario(s, 0);
    fuzz_check_genius_round_trip(s);
    truce_scenario_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        /* the harness's own parse must not print either */
        xmlSetGenericErrorFunc(NULL, ignore_error);
        quiet = 1;
    }
    char profile[512], derived[512], fixed[512];
    fuzz_path("profile.xml", profile, sizeof profile);
    fuzz_path("derived.xml", derived, sizeof derived);
    fuzz_path("fixed.xml", fixed, sizeof fixed);
    fuzz_write(profile, data, size);
    fuzz_write(fixed, fixed_domain, sizeof fixed_domain - 1);
    if (derive_domain(data, size, derived))
        load(derived, profile, 2);
    load(fixed, profile, 1);
    return 0;
}
