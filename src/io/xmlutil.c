/* xmlutil.c: libxml2 helpers: parsing with located errors, strict numeric
 * attributes, element lookup. */
#include "xmlutil.h"

#include <errno.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int xml_parse_file(xmlDocPtr *out, const char *path, truce_error *err)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return error_nomem(err);
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        int rc;
        if (!e || e->domain == XML_FROM_IO || e->code == XML_IO_LOAD_ERROR) {
            rc = error_set(err, TRUCE_EIO, path, 0, NULL, "cannot read file%s%s",
                           e && e->message ? ": " : "", e && e->message ? e->message : "");
        } else {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
            rc = error_set(err, TRUCE_EPARSE, path, e->line, NULL, "malformed XML: %s", msg);
            if (err)
                err->column = e->int2;
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
    char buf[128];
    const char *v = xml_attr(node, name, buf, sizeof buf);
    if (!v)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> has no attribute '%s'", (const char *)node->name, name);
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || !trimmed_all_consumed(end) || errno == ERANGE)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> attribute %s=\"%s\" is not a number", (const char *)node->name,
                         name, v);
    if (!isfinite(d))
        return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                         "<%s> attribute %s=\"%s\" is not a finite number",
                         (const char *)node->name, name, v);
    *out = d;
    return 0;
}

int xml_attr_int(xmlNodePtr node, const char *name, int64_t *out, const char *path,
                 truce_error *err)
{
    char buf[128];
    const char *v = xml_attr(node, name, buf, sizeof buf);
    if (!v)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> has no attribute '%s'", (const char *)node->name, name);
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (end == v || !trimmed_all_consumed(end) || errno == ERANGE)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<%s> attribute %s=\"%s\" is not an integer", (const char *)node->name,
                         name, v);
    *out = n;
    return 0;
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
