/* benchutil.h: what the benchmarks share: listing the scenario folders of
 * the corpus. */
#ifndef TRUCE_BENCHUTIL_H
#define TRUCE_BENCHUTIL_H

#include <stddef.h>

/* Names of the subfolders of dir, sorted; the caller frees each and the
 * array. Returns how many (0, with *out NULL, when dir cannot be read). */
size_t list_dirs(const char *dir, char ***out);

#endif
