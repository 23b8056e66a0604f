/* names.h: finding a repeated name among many in O(n log n) (issues, options, parties), and
 * looking names up in a sorted index, where a scan per name would be quadratic. */
#ifndef TRUCE_CORE_NAMES_H
#define TRUCE_CORE_NAMES_H

#include <stddef.h>

#include "arena.h"

/* A sorted view of n names: lookups in O(log n). */
typedef struct name_index {
    const char *const *names; /* borrowed */
    size_t n;
    size_t *order; /* positions sorted by name, then position */
} name_index;

/* Build the index in memory from m (free with name_index_free). 0 or TRUCE_ENOMEM. */
int name_index_build(name_index *x, const mem *m, const char *const *names, size_t n);
void name_index_free(name_index *x, const mem *m);
/* The first position holding `name`, or -1. */
long name_index_find(const name_index *x, const char *name);
/* The first name (in position order) equal to an earlier one: 1 and the two positions
 * (*earlier < *repeat), or 0 when all names differ. */
int name_index_repeat(const name_index *x, size_t *earlier, size_t *repeat);

/* The first character of text (len bytes of UTF-8) that YAML does not print (YAML 1.2, 5.1:
 * printable are tab, newline, carriage return, U+0020..U+007E, U+0085, U+00A0 and above but
 * surrogates, U+FFFE and U+FFFF; NUL is given as 0x110000), or 0. Both readers refuse names
 * holding one, so that any name can be written in either format and shown on one line. */
unsigned long name_unprintable(const char *text, size_t len);

#endif
