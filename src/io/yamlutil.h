/* yamlutil.h: what the YAML readers share (libfyaml): building a document
 * from a file with errors that name the line and column, and placing nodes. */
#ifndef TRUCE_IO_YAMLUTIL_H
#define TRUCE_IO_YAMLUTIL_H

#include <libfyaml.h>
#include <stdarg.h>
#include <stdint.h>

#include "truce.h"

/* Parse the file (at most max_bytes) into a document: free *out with
 * fy_document_destroy, then *text (the document points into it). A file
 * that is not UTF-8, holds control characters, is not YAML or is empty gets
 * TRUCE_EPARSE with its place; `empty_hint` completes the message for an
 * empty file (e.g. "a truce scenario starts with 'truce: 1'"). Line breaks
 * are normalised to LF before parsing (YAML 1.2, 5.4). */
int yaml_load_file(struct fy_document **out, char **text, const char *path, uint64_t max_bytes,
                   const char *empty_hint, truce_error *err);

/* 1-based line and column of a node (its key or parent when it has no token
 * of its own); 1:1 when nothing better is known. */
void yaml_node_place(struct fy_node *n, int *line, int *col);

/* A TRUCE_EINVAL error placed at node n: "path:line: column C: text". */
int yaml_verror(truce_error *err, const char *path, struct fy_node *n, const char *fmt, va_list ap);

/* Value of `key` in a mapping, or NULL. */
struct fy_node *yaml_get(struct fy_node *map, const char *key);

#endif
