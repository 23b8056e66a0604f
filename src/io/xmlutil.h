/* xmlutil.h: small helpers over libxml2 shared by the GENIUS reader and
 * writer: strict number parsing from attributes, child iteration. */
#ifndef TRUCE_IO_XMLUTIL_H
#define TRUCE_IO_XMLUTIL_H

#include <libxml/tree.h>
#include <stdint.h>

#include "../core/error.h"

/* A libxml2 generic error handler that drops the message: libxml2 prints
 * some errors (I/O, encoding) through its per-thread generic handler, and
 * the library never prints; swapped in around a parse or a save. */
void xml_ignore_error(void *ctx, const char *msg, ...);

/* Parse a file; on failure fill err with the parser's line and message. */
int xml_parse_file(xmlDocPtr *out, const char *path, truce_error *err);

/* Attribute as a C string (NULL when absent). Borrowed from libxml2 until
 * xml_attr_release; the reader keeps at most a few alive. */
const char *xml_attr(xmlNodePtr node, const char *name, char *buf, size_t size);

/* Strict numbers: the whole attribute (bar surrounding blanks) must parse;
 * NaN and infinities are refused. Return 0, or TRUCE_EPARSE (absent or
 * malformed) / TRUCE_EINVAL (not finite) with err naming file, line and attribute. */
int xml_attr_double(xmlNodePtr node, const char *name, double *out, const char *path,
                    truce_error *err);
int xml_attr_int(xmlNodePtr node, const char *name, int64_t *out, const char *path,
                 truce_error *err);

/* 1 when node is an element named `name`. */
int xml_is(xmlNodePtr node, const char *name);

/* First child element named `name`, or NULL. */
xmlNodePtr xml_child(xmlNodePtr node, const char *name);

/* First element named `name` anywhere below node (preorder), or NULL. */
xmlNodePtr xml_find(xmlNodePtr node, const char *name);

int xml_line(xmlNodePtr node);

/* TRUCE_ELIMIT (limit max_depth) naming the first element nested deeper
 * than max_depth levels (the root is level 1). */
int xml_check_depth(xmlDocPtr doc, const char *path, uint32_t max_depth, truce_error *err);

#endif
