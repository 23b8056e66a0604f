/* xmlutil.c: libxml2 helpers: parsing with located errors, strict numeric
 * attributes, element lookup. */
#include "xmlutil.h"

#include "../core/limits.h"

#include <errno.h>
#include <libxml/parser.h>
#include <math.h>
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

int xml_parse_file(xmlDocPtr *out, const char *path, truce_error *err)
{
    /* libxml2 reads a folder as an empty document ("Document is empty") */
    struct stat st;
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
