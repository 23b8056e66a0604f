/* yamlutil.c: what the YAML readers share: building a libfyaml document from
 * a file with placed errors (never printing), and finding a node's place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "yamlutil.h"

/* 1-based line and column of a node: its own token for scalars, its first
 * key or item for collections. 0 when it has none (an empty collection, an
 * empty value). */
static void token_place(struct fy_node *n, int *line, int *col)
{
    *line = 0;
    *col = 0;
    while (n) {
        if (fy_node_is_scalar(n)) {
            struct fy_token *t = fy_node_get_scalar_token(n);
            const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
            if (m) {
                *line = m->line + 1;
                *col = m->column + 1;
            }
            return;
        }
        void *it = NULL;
        if (fy_node_is_mapping(n)) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        } else {
            n = fy_node_sequence_iterate(n, &it);
        }
    }
}

/* The place of a node; a node without a token of its own ("parties: []",
 * "options:") is placed at the key it is the value of, or failing that at
 * its parent, so that every error names a line and column. libfyaml 0.7
 * keeps no marks for collections, hence the walk up. */
void yaml_node_place(struct fy_node *n, int *line, int *col)
{
    token_place(n, line, col);
    while (n && *line == 0) {
        struct fy_node *parent = fy_node_get_parent(n);
        if (parent && fy_node_is_mapping(parent)) {
            void *it = NULL;
            struct fy_node_pair *p;
            while ((p = fy_node_mapping_iterate(parent, &it)))
                if (fy_node_pair_value(p) == n) {
                    token_place(fy_node_pair_key(p), line, col);
                    break;
                }
        }
        if (*line == 0 && parent)
            token_place(parent, line, col);
        n = parent;
    }
    if (*line == 0) {
        /* the document itself ("---" alone): its start */
        *line = 1;
        *col = 1;
    }
}

/* What a file that gave no document holds: -1 unreadable, 0 nothing but
 * blanks and comments (an empty file), 1 other text. */
static int file_content(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int c, content = 0, comment = 0;
    while ((c = getc(f)) != EOF && !content) {
        if (c == '\n')
            comment = 0;
        else if (c == '#')
            comment = 1;
        else if (!comment && c != ' ' && c != '\t' && c != '\r')
            content = 1;
    }
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : content;
}

static int parse_error(const char *path, struct fy_diag *diag, const char *empty_hint,
                       truce_error *err)
{
    void *it = NULL;
    struct fy_diag_error *e;
    while (diag && (e = fy_diag_errors_iterate(diag, &it))) {
        /* libfyaml's collected errors are 1-based already (fy_diag_vreport) */
        int line = e->line > 0 ? e->line : 1, col = e->column > 0 ? e->column : 1;
        int rc = error_set(err, TRUCE_EPARSE, path, line, NULL, "column %d: malformed YAML: %s",
                           col, e->msg);
        if (err)
            err->column = col;
        return rc;
    }
    int content = file_content(path);
    if (content < 0)
        return error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read the file");
    /* some failures (bytes that are not UTF-8 text, for one) come without a
     * place: the start of the file is the best there is */
    int rc = content ? error_set(err, TRUCE_EPARSE, path, 1, NULL,
                                 "column 1: malformed YAML (not UTF-8 text, or the parser "
                                 "could not place the problem)")
                     : error_set(err, TRUCE_EPARSE, path, 1, NULL,
                                 "column 1: the file holds no YAML document%s%s",
                                 empty_hint ? "; " : "", empty_hint ? empty_hint : "");
    if (err)
        err->column = 1;
    return rc;
}

/* 1 when the file is not UTF-8 text, with the place of the first bad byte.
 * libfyaml lets such bytes through into scalars, and names that are not
 * UTF-8 could not be written into JSON reports. Overlong forms, surrogates
 * and code points above U+10FFFF are refused too (RFC 3629).
 * 2 when it holds a control character other than tab, newline and carriage
 * return (*control gets it): YAML does not allow them unescaped, and
 * libfyaml (0.7.12) returns block scalars holding one with bytes it never
 * wrote (found by fuzz_yaml). */
static int not_utf8(FILE *f, int *line, int *col, unsigned long *control)
{
    int c, need = 0;
    unsigned long cp = 0, min = 0;
    *line = 1;
    *col = 0;
    while ((c = getc(f)) != EOF) {
        if (need == 0) {
            (*col)++;
            if (c == '\n') {
                (*line)++;
                *col = 0;
            } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
                *control = (unsigned long)c;
                return 2;
            } else if (c >= 0x80) {
                if (c >= 0xC2 && c <= 0xDF)
                    need = 1, cp = (unsigned long)c & 0x1F, min = 0x80;
                else if (c >= 0xE0 && c <= 0xEF)
                    need = 2, cp = (unsigned long)c & 0x0F, min = 0x800;
                else if (c >= 0xF0 && c <= 0xF4)
                    need = 3, cp = (unsigned long)c & 0x07, min = 0x10000;
                else
                    return 1;
            }
        } else {
            if ((c & 0xC0) != 0x80)
                return 1;
            cp = cp << 6 | ((unsigned long)c & 0x3F);
            if (--need == 0 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
                return 1;
            if (need == 0 && cp >= 0x80 && cp <= 0x9F && cp != 0x85) {
                *control = cp;
                return 2;
            }
        }
    }
    if (need) /* cut short at the end */
        return 1;
    *line = *col = 0;
    return 0;
}

/* The file's text with every line break written "\n" (malloc'd; *len its
 * length), or NULL with *code an errno. YAML reads CR LF and a lone CR as
 * line breaks and normalises them to LF in content (YAML 1.2, 5.4), so this
 * changes no value and no line number; libfyaml (0.7.12) leaks a buffer on
 * quoted scalars spanning many CR LF line breaks (found by fuzz_yaml). */
static char *read_normalized(const char *path, uint64_t max_bytes, size_t *len, int *code)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *code = errno;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    int c, cr = 0;
    *code = 0;
    while (text && (c = getc(f)) != EOF) {
        if (n + 1 >= cap || n >= max_bytes) {
            char *grown = n < max_bytes ? realloc(text, cap * 2) : NULL;
            if (!grown) {
                *code = n < max_bytes ? ENOMEM : EFBIG; /* the file grew past the limit */
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            cap *= 2;
        }
        if (c == '\n' && cr) { /* the LF of a CR LF: already written */
            cr = 0;
            continue;
        }
        cr = c == '\r';
        text[n++] = cr ? '\n' : (char)c;
    }
    if (text && ferror(f)) {
        *code = EIO;
        free(text);
        text = NULL;
    }
    if (!text && !*code)
        *code = ENOMEM;
    fclose(f);
    if (text)
        text[n] = '\0';
    *len = n;
    return text;
}

static void quiet(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

int yaml_verror(truce_error *err, const char *path, struct fy_node *n, const char *fmt, va_list ap)
{
    char text[600];
    vsnprintf(text, sizeof text, fmt, ap);
    int line, col;
    yaml_node_place(n, &line, &col);
    int rc = error_set(err, TRUCE_EINVAL, path, line, NULL, "column %d: %s", col, text);
    if (err)
        err->column = col;
    return rc;
}

struct fy_node *yaml_get(struct fy_node *map, const char *key)
{
    return map && fy_node_is_mapping(map) ? fy_node_mapping_lookup_by_string(map, key, FY_NT)
                                          : NULL;
}

/* ---- duplicate keys ----
 * libfyaml checks each key of a mapping against all earlier ones (0.7.12), so a mapping of
 * 200000 keys (a party's values for a large issue) took minutes before anything was read. Its
 * check is switched off (FYPCF_ALLOW_DUPLICATE_KEYS) and this one, sorting the keys, runs
 * instead: the same error, at the same key. Keys that are not scalars are left to the readers,
 * which take only text keys. */

typedef struct key_ref {
    const char *text;
    size_t len, at; /* at: position in the mapping */
    struct fy_node *node;
} key_ref;

static int key_order(const void *pa, const void *pb)
{
    const key_ref *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = memcmp(a->text, b->text, a->len);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* The earliest repeated key, by its place in the file. */
typedef struct repeat {
    struct fy_node *node;
    int line, col;
} repeat;

static void consider(repeat *best, struct fy_node *key)
{
    int line, col;
    yaml_node_place(key, &line, &col);
    if (!best->node || line < best->line || (line == best->line && col < best->col))
        *best = (repeat){key, line, col};
}

/* Look for repeated keys in every mapping at or below n: 0, or -1 when out of memory.
 * Nesting is bounded by libfyaml's depth limit (64). */
static int find_repeats(struct fy_node *n, repeat *best)
{
    void *it = NULL;
    if (fy_node_is_sequence(n)) {
        struct fy_node *item;
        while ((item = fy_node_sequence_iterate(n, &it)))
            if (find_repeats(item, best))
                return -1;
        return 0;
    }
    if (!fy_node_is_mapping(n))
        return 0;
    int count = fy_node_mapping_item_count(n);
    key_ref *keys = count > 1 ? malloc((size_t)count * sizeof *keys) : NULL;
    if (count > 1 && !keys)
        return -1;
    size_t k = 0;
    struct fy_node_pair *p;
    int rc = 0;
    while (rc == 0 && (p = fy_node_mapping_iterate(n, &it))) {
        struct fy_node *key = fy_node_pair_key(p);
        if (keys && key && fy_node_is_scalar(key)) {
            size_t len = 0;
            const char *text = fy_node_get_scalar(key, &len);
            keys[k] = (key_ref){text ? text : "", text ? len : 0, k, key};
            k++;
        }
        rc = find_repeats(fy_node_pair_value(p), best);
    }
    if (keys && rc == 0) {
        qsort(keys, k, sizeof *keys, key_order);
        /* equal keys are adjacent, in mapping order: the second of a run is its first repeat */
        for (size_t j = 1; j < k; j++)
            if (keys[j].len == keys[j - 1].len &&
                memcmp(keys[j].text, keys[j - 1].text, keys[j].len) == 0 &&
                (j < 2 || keys[j - 2].len != keys[j].len ||
                 memcmp(keys[j - 2].text, keys[j].text, keys[j].len) != 0))
                consider(best, keys[j].node);
    }
    free(keys);
    return rc;
}

int yaml_load_file(struct fy_document **out, char **text_out, const char *path, uint64_t max_bytes,
                   const char *empty_hint, truce_error *err)
{
    *out = NULL;
    *text_out = NULL;
    int rc;
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return error_set(err, TRUCE_EIO, path, 0, NULL, "cannot open file");
    int line, col;
    unsigned long control = 0;
    int bad = not_utf8(probe, &line, &col, &control);
    fclose(probe);
    if (bad == 2) {
        rc = error_set(err, TRUCE_EPARSE, path, line, NULL,
                       "column %d: malformed YAML: character U+%04lX is not allowed (YAML "
                       "allows tab, newline and printable characters; escape others in double "
                       "quotes)",
                       col, control);
        if (err)
            err->column = col;
        return rc;
    }
    if (bad) {
        rc = error_set(err, TRUCE_EPARSE, path, line, NULL,
                       "column %d: malformed YAML: not UTF-8 text", col);
        if (err)
            err->column = col;
        return rc;
    }
    size_t len;
    int code;
    char *text = read_normalized(path, max_bytes, &len, &code);
    if (!text)
        return code == ENOMEM ? error_nomem(err)
                              : error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read the file: %s",
                                          strerror(code));
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = quiet; /* the library never prints */
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag) {
        free(text);
        return error_nomem(err);
    }
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {NULL, FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS,
                               NULL, diag};
    struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
    if (!doc || !fy_document_root(doc)) {
        rc = parse_error(path, diag, empty_hint, err);
        fy_document_destroy(doc);
        fy_diag_destroy(diag);
        free(text);
        return rc;
    }
    fy_diag_destroy(diag); /* the document keeps its own reference */
    repeat best = {NULL, 0, 0};
    rc = find_repeats(fy_document_root(doc), &best) ? error_nomem(err) : 0;
    if (rc == 0 && best.node) {
        rc = error_set(err, TRUCE_EPARSE, path, best.line, NULL,
                       "column %d: malformed YAML: duplicate key", best.col);
        if (err)
            err->column = best.col;
    }
    if (rc) {
        fy_document_destroy(doc);
        free(text);
        return rc;
    }
    *out = doc;
    *text_out = text;
    return 0;
}
