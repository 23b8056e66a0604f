/* yamlutil.h: what the YAML readers share (libfyaml): building a document
 * from a file with errors that name the line and column, and placing nodes. */
#ifndef TRUCE_IO_YAMLUTIL_H
#define TRUCE_IO_YAMLUTIL_H

#include <libfyaml.h>
#include <stdarg.h>

#include "truce.h"

/* Parse the file into a document (free it with fy_document_destroy). A file
 * that is not UTF-8, not YAML or empty gets TRUCE_EPARSE with its place;
 * `empty_hint` completes the message for an empty file (e.g. "a truce
 * scenario starts with 'truce: 1'"). */
int yaml_load_file(struct fy_document **out, const char *path, const char *empty_hint,
                   truce_error *err);

/* 1-based line and column of a node (its key or parent when it has no token
 * of its own); 1:1 when nothing better is known. */
void yaml_node_place(struct fy_node *n, int *line, int *col);

/* A TRUCE_EINVAL error placed at node n: "path:line: column C: text". */
int yaml_verror(truce_error *err, const char *path, struct fy_node *n, const char *fmt, va_list ap);

/* Value of `key` in a mapping, or NULL. */
struct fy_node *yaml_get(struct fy_node *map, const char *key);

#endif
