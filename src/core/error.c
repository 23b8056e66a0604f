/* error.c: status code names and the caller-provided error record.
 * The library never prints: every failure is described here instead. */
#include "error.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *truce_strerror(int code)
{
    switch (code) {
    case TRUCE_OK:
        return "TRUCE_OK";
    case TRUCE_ENOMEM:
        return "TRUCE_ENOMEM";
    case TRUCE_EIO:
        return "TRUCE_EIO";
    case TRUCE_EPARSE:
        return "TRUCE_EPARSE";
    case TRUCE_EINVAL:
        return "TRUCE_EINVAL";
    case TRUCE_ELIMIT:
        return "TRUCE_ELIMIT";
    case TRUCE_ENOTFOUND:
        return "TRUCE_ENOTFOUND";
    default:
        return "TRUCE_E?";
    }
}

const char *truce_version(void)
{
    return TRUCE_VERSION_STRING;
}

static void copy_field(char *dst, size_t size, const char *src)
{
    if (!src)
        src = "";
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int error_set(truce_error *err, int code, const char *file, int line, const char *field,
              const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    err->column = 0;
    copy_field(err->file, sizeof err->file, file);
    copy_field(err->field, sizeof err->field, field);

    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);

    char place[600] = "";
    size_t used = 0;
    if (file && *file)
        used += (size_t)snprintf(place + used, sizeof place - used, "%s:", file);
    if (line > 0 && used < sizeof place)
        used += (size_t)snprintf(place + used, sizeof place - used, "%d:", line);
    if (field && *field && used < sizeof place)
        snprintf(place + used, sizeof place - used, "%s%s:", used ? " " : "", field);
    snprintf(err->message, sizeof err->message, "%s%s%s", place, *place ? " " : "", text);
    /* one line, whatever names or parser messages it quotes; valid UTF-8 whatever bytes a
     * path or a quoted value held, or wherever a long message was cut (bindings decode it) */
    for (char *c = err->message; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    utf8_repair(err->message);
    utf8_repair(err->file);
    utf8_repair(err->field);
    return code;
}

int error_nomem(truce_error *err)
{
    return error_set(err, TRUCE_ENOMEM, NULL, 0, NULL, "out of memory");
}

void error_clear(truce_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}
