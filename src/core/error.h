/* error.h: filling a caller's truce_error with a one-line message that names
 * the place (file, line, field) and the problem. */
#ifndef TRUCE_CORE_ERROR_H
#define TRUCE_CORE_ERROR_H

#include "truce.h"

#if defined(__GNUC__)
#define TRUCE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TRUCE_PRINTF(a, b)
#endif

/* Fill err (when not NULL) and return code. file may be NULL, line 0 and
 * field NULL when unknown. The message reads "file:line: field: text". */
int error_set(truce_error *err, int code, const char *file, int line, const char *field,
              const char *fmt, ...) TRUCE_PRINTF(6, 7);

/* Shorthand for an allocation failure. */
int error_nomem(truce_error *err);

/* Reset err to "no error". */
void error_clear(truce_error *err);

#endif
