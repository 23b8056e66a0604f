/* xmlutil.c: libxml2 helpers: parsing with located errors, strict numeric
 * attributes, element lookup. */
#include "xmlutil.h"

#include "../core/limits.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The first error of a parse, kept by an error handler on the parser context:
 * libxml2's own "last error" is often a consequence far below the cause (an
 * unclosed <item> is reported as "premature end of data" at the end of the
 * file), and without a handler libxml2 prints I/O warnings to stderr. */
typedef struct first_error {
    int set;
    int domain, code, line, column;
    char message[512];
    int entity; /* the document declares an entity: refused */
} first_error;

/* SAX handler for <!ENTITY ...> declarations (general and parameter entities alike). GENIUS
 * files never declare entities, and entities are how a small file expands into a huge one: an
 * entity used in an attribute is expanded by the tree functions (xmlGetProp), after the parser
 * and beyond its amplification guard (a 57 KB file took 1.6 GB and printed 500 MB). So the
 * first declaration stops the parse, before anything is expanded. */
static void refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                          const xmlChar *system_id, xmlChar *content)
{
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    xmlParserCtxtPtr ctxt = ctx;
    first_error *first = ctxt ? ctxt->_private : NULL;
    if (!first)
        return;
    if (!first->entity) {
        first->entity = 1;
        first->set = 1;
        first->line = ctxt->input ? ctxt->input->line : 0;
        first->column = ctxt->input ? ctxt->input->col : 0;
        snprintf(first->message, sizeof first->message,
                 "the document declares the entity '%.100s': GENIUS files never declare "
                 "entities, and truce refuses them (an entity can expand a small file into a "
                 "huge one)",
                 name ? (const char *)name : "");
    }
    ctxt->wellFormed = 0;
    xmlStopParser(ctxt);
}

static void refuse_unparsed_entity(void *ctx, const xmlChar *name, const xmlChar *public_id,
                                   const xmlChar *system_id, const xmlChar *notation)
{
    (void)notation;
    refuse_entity(ctx, name, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY, public_id, system_id, NULL);
}

static void keep_first_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ctx;
    first_error *first = ctxt ? ctxt->_private : NULL;
    if (!first || !e || first->set || e->level < XML_ERR_ERROR)
        return;
    first->set = 1;
    first->domain = e->domain;
    first->code = e->code;
    first->line = e->line;
    first->column = e->int2;
    snprintf(first->message, sizeof first->message, "%s", e->message ? e->message : "");
}

void xml_ignore_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ---- GENIUS's XML dialect ----
 * GENIUS reads its files with its own lenient parser (SimpleDOMParser), and
 * files of its distribution and of ANAC that it reads are not all well-formed
 * XML. A file libxml2 refuses is read again after three repairs that give it
 * the meaning GENIUS gives it, keeping every line where it was (so errors
 * still name the right line):
 *  - an XML declaration after blank lines or spaces is blanked out (its
 *    encoding is kept for the parse); GENIUS skips any such prolog;
 *  - an '&' that starts no predefined entity (amp, lt, gt, quot, apos) or
 *    character reference stands for itself, as GENIUS (which decodes no
 *    entities) reads it: it becomes "&amp;";
 *  - attributes written without a space between them (a="1"b="2") get one.
 * A file that is not UTF-8 and declares no encoding is read as Windows-1252,
 * the encoding such files were written in (docs/formats.md). */

static int is_name_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
}

/* Length of the entity or character reference at p ("&amp;", "&#38;"), or 0. */
static size_t reference_length(const char *p, const char *end)
{
    static const char *const predefined[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t k = 0; k < 5; k++) {
        size_t n = strlen(predefined[k]);
        if ((size_t)(end - p) >= n && !memcmp(p, predefined[k], n))
            return n;
    }
    const char *q = p + 1;
    if (q < end && *q == '#') {
        q++;
        int hex = q < end && *q == 'x';
        q += hex;
        const char *digits = q;
        while (q < end && (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
            q++;
        if (q > digits && q < end && *q == ';')
            return (size_t)(q - p) + 1;
    }
    return 0;
}

/* The repaired text, or NULL (out of memory) with *n_out untouched. Two
 * passes: the first counts, the second writes. */
static char *repair(const char *text, size_t n, size_t *n_out)
{
    char *out = NULL;
    size_t size = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t w = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (out)                                                                                   \
            out[w] = (c);                                                                          \
        w++;                                                                                       \
    } while (0)
        const char *p = text, *end = text + n;
        /* where a declaration may stand: at the very start, after a byte order mark */
        const char *start = end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3) ? p + 3 : p;
        int in_tag = 0;
        char quote = 0;
        while (p < end) {
            char c = *p;
            if (!in_tag && c == '<') {
                static const char *const verbatim[][2] = {
                    {"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"}};
                size_t k;
                for (k = 0; k < 4; k++) {
                    size_t open = strlen(verbatim[k][0]);
                    if ((size_t)(end - p) >= open && !memcmp(p, verbatim[k][0], open))
                        break;
                }
                if (k < 4) { /* copied as it is, up to its end */
                    size_t close = strlen(verbatim[k][1]);
                    const char *stop = p + strlen(verbatim[k][0]);
                    while (stop < end &&
                           ((size_t)(end - stop) < close || memcmp(stop, verbatim[k][1], close)))
                        stop++;
                    stop = stop + close <= end ? stop + close : end;
                    /* an XML declaration anywhere but at the start: blanked */
                    int misplaced = k == 2 && p != start && end - p > 5 && !memcmp(p, "<?xml", 5) &&
                                    isspace((unsigned char)p[5]);
                    for (; p < stop; p++)
                        PUT(misplaced && *p != '\n' ? ' ' : *p);
                    continue;
                }
                in_tag = 1;
                PUT(c);
                p++;
                continue;
            }
            if (c == '&' && !reference_length(p, end)) {
                PUT('&');
                PUT('a');
                PUT('m');
                PUT('p');
                PUT(';');
                p++;
                continue;
            }
            PUT(c);
            p++;
            if (!in_tag)
                continue;
            if (quote) {
                if (c == quote) {
                    quote = 0;
                    if (p < end && is_name_start((unsigned char)*p))
                        PUT(' ');
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                in_tag = 0;
            }
        }
#undef PUT
        if (pass == 0) {
            size = w;
            if (!(out = malloc(size ? size : 1)))
                return NULL;
        }
    }
    *n_out = size;
    return out;
}

/* The encoding an XML declaration names (into buf), or NULL. */
static const char *declared_encoding(const char *text, size_t n, char *buf, size_t size)
{
    const char *end = text + n, *p = text;
    while (p + 5 < end && (memcmp(p, "<?xml", 5) || !isspace((unsigned char)p[5]))) {
        if (*p == '<' && p[1] != '?' && p[1] != '!')
            return NULL; /* the root element: no declaration before it */
        p++;
    }
    if (p + 5 >= end)
        return NULL;
    const char *close = p;
    while (close + 1 < end && !(close[0] == '?' && close[1] == '>'))
        close++;
    for (const char *q = p; q + 9 < close; q++) {
        if (memcmp(q, "encoding", 8))
            continue;
        q += 8;
        while (q < close && (isspace((unsigned char)*q) || *q == '='))
            q++;
        if (q >= close || (*q != '"' && *q != '\''))
            return NULL;
        char quote = *q++;
        size_t k = 0;
        while (q < close && *q != quote && k + 1 < size)
            buf[k++] = *q++;
        buf[k] = '\0';
        return buf;
    }
    return NULL;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t more = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
        if (!more || i + more >= n)
            return 0;
        for (size_t k = 1; k <= more; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += more + 1;
    }
    return 1;
}

/* The second attempt at a file libxml2 refused: its text repaired as GENIUS
 * reads it. NULL when that fails too (or nothing was there to repair). Entities are
 * refused here as in the first attempt (a file whose first error came before its DOCTYPE
 * would otherwise have them expanded): then NULL, and *first says so. */
static xmlDocPtr parse_repaired(const char *path, first_error *first)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            size_t grown = cap ? 2 * cap : 65536;
            char *t = realloc(text, grown);
            if (!t)
                break;
            text = t;
            cap = grown;
        }
        size_t got = fread(text + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f) || !text;
    fclose(f);
    size_t m = 0;
    char *fixed = failed ? NULL : repair(text, n, &m);
    xmlDocPtr doc = NULL;
    if (fixed) {
        char buf[64];
        const char *encoding = declared_encoding(text, n, buf, sizeof buf);
        if (!encoding && !valid_utf8((const unsigned char *)fixed, m))
            encoding = "WINDOWS-1252";
        int changed =
            m != n || memcmp(fixed, text, n) || (encoding && !strcmp(encoding, "WINDOWS-1252"));
        xmlParserCtxtPtr ctxt = changed ? xmlNewParserCtxt() : NULL;
        if (ctxt) {
            first_error second = {0};
            ctxt->_private = &second;
            ctxt->sax->serror = keep_first_error;
            ctxt->sax->entityDecl = refuse_entity;
            ctxt->sax->unparsedEntityDecl = refuse_unparsed_entity;
            xmlGenericErrorFunc saved = xmlGenericError;
            void *saved_context = xmlGenericErrorContext;
            xmlSetGenericErrorFunc(NULL, xml_ignore_error);
            doc = xmlCtxtReadMemory(ctxt, fixed, (int)m, path, encoding,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
            xmlSetGenericErrorFunc(saved_context, saved);
            xmlFreeParserCtxt(ctxt);
            if (second.entity) {
                xmlFreeDoc(doc);
                doc = NULL;
                *first = second;
            }
        }
    }
    free(fixed);
    free(text);
    return doc;
}

int xml_parse_file(xmlDocPtr *out, const char *path, truce_error *err)
{
    /* libxml2 reads a folder as an empty document ("Document is empty") */
    struct stat st = {0};
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read file: it is a folder");
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return error_nomem(err);
    first_error first = {0};
    ctxt->_private = &first;
    ctxt->sax->serror = keep_first_error;
    ctxt->sax->entityDecl = refuse_entity;
    ctxt->sax->unparsedEntityDecl = refuse_unparsed_entity;
    /* some input errors (bytes the encoding cannot convert) are raised
     * without the context and would go to libxml2's generic handler, which
     * prints; the handler is per thread, so swap it for the parse only */
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_ignore_error);
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetGenericErrorFunc(saved_context, saved);
    if (!doc && !first.entity && first.set && first.domain != XML_FROM_IO &&
        first.code != XML_IO_LOAD_ERROR && (unsigned long)st.st_size < (1UL << 31))
        doc = parse_repaired(path, &first);
    if (first.entity) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        int rc = error_set(err, TRUCE_EINVAL, path, first.line, NULL, "%s", first.message);
        if (err)
            err->column = first.column;
        return rc;
    }
    if (!doc) {
        const xmlError *last = xmlCtxtGetLastError(ctxt);
        if (!first.set && last) {
            first.domain = last->domain;
            first.code = last->code;
            first.line = last->line;
            first.column = last->int2;
            snprintf(first.message, sizeof first.message, "%s", last->message ? last->message : "");
        }
        /* truce_error messages are one line; libxml2's can hold several
         * ("Input is not proper UTF-8 ...\nBytes: 0xFE ...") */
        size_t n = strlen(first.message);
        while (n && (first.message[n - 1] == '\n' || first.message[n - 1] == ' '))
            first.message[--n] = '\0';
        for (char *c = first.message; *c; c++)
            if (*c == '\n' || *c == '\r')
                *c = ' ';
        int rc;
        if ((!first.set && !last) || first.domain == XML_FROM_IO ||
            first.code == XML_IO_LOAD_ERROR) {
            rc = error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read file%s%s",
                           *first.message ? ": " : "", first.message);
        } else {
            rc = error_set(err, TRUCE_EPARSE, path, first.line, NULL, "malformed XML%s%s",
                           *first.message ? ": " : "", first.message);
            if (err)
                err->column = first.column;
        }
        xmlFreeParserCtxt(ctxt);
        return rc;
    }
    xmlFreeParserCtxt(ctxt);
    if (!xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        return error_set(err, TRUCE_EPARSE, path, 0, NULL, "empty XML document");
    }
    *out = doc;
    return 0;
}

const char *xml_attr(xmlNodePtr node, const char *name, char *buf, size_t size)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    snprintf(buf, size, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

int xml_line(xmlNodePtr node)
{
    long l = xmlGetLineNo(node);
    return l > 0 && l < 1L << 30 ? (int)l : 0;
}

static int trimmed_all_consumed(const char *end)
{
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    return *end == '\0';
}

int xml_attr_double(xmlNodePtr node, const char *name, double *out, const char *path,
                    truce_error *err)
{
    /* parsed from libxml2's own copy: a fixed buffer would cut a long value
     * and accept whatever number its head spells */
    xmlChar *value = xmlGetProp(node, (const xmlChar *)name);
    if (!value)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> has no attribute '%s'", (const char *)node->name, name);
    const char *v = (const char *)value;
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    int rc = 0;
    if (end == v || !trimmed_all_consumed(end) || errno == ERANGE)
        rc = error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                       "<%s> attribute %s=\"%.60s%s\" is not a number", (const char *)node->name,
                       name, v, strlen(v) > 60 ? "..." : "");
    else if (!isfinite(d))
        rc = error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                       "<%s> attribute %s=\"%.60s%s\" is not a finite number",
                       (const char *)node->name, name, v, strlen(v) > 60 ? "..." : "");
    else
        *out = d;
    xmlFree(value);
    return rc;
}

int xml_attr_int(xmlNodePtr node, const char *name, int64_t *out, const char *path,
                 truce_error *err)
{
    xmlChar *value = xmlGetProp(node, (const xmlChar *)name);
    if (!value)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> has no attribute '%s'", (const char *)node->name, name);
    const char *v = (const char *)value;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    int rc = 0;
    if (end == v || !trimmed_all_consumed(end) || errno == ERANGE)
        rc = error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                       "<%s> attribute %s=\"%.60s%s\" is not an integer", (const char *)node->name,
                       name, v, strlen(v) > 60 ? "..." : "");
    else
        *out = n;
    xmlFree(value);
    return rc;
}

int xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr xml_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (xml_is(c, name))
            return c;
    return NULL;
}

xmlNodePtr xml_find(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(c, name))
            return c;
        xmlNodePtr d = xml_find(c, name);
        if (d)
            return d;
    }
    return NULL;
}

/* libxml2 refuses documents nested deeper than 256 levels (without
 * XML_PARSE_HUGE), which bounds this recursion. */
static xmlNodePtr too_deep(xmlNodePtr node, uint32_t depth, uint32_t max_depth)
{
    for (xmlNodePtr c = node; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (depth > max_depth)
            return c;
        xmlNodePtr found = too_deep(c->children, depth + 1, max_depth);
        if (found)
            return found;
    }
    return NULL;
}

int xml_check_depth(xmlDocPtr doc, const char *path, uint32_t max_depth, truce_error *err)
{
    xmlNodePtr deep = too_deep(xmlDocGetRootElement(doc), 1, max_depth);
    if (!deep)
        return 0;
    return limit_exceeded(err, path, xml_line(deep), "max_depth", max_depth,
                          "element <%.100s> is nested %llu levels deep", (const char *)deep->name,
                          (unsigned long long)max_depth + 1);
}
