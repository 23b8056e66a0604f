/* external.c: parameter lists of agents written outside truce (lua:PATH:k=v,
 * proc:COMMAND:k=v): the head before the first colon, then key=value items. */
#include "external.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"

const char *external_head(const char *params, char *head, size_t head_size)
{
    const char *text = params ? params : "";
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    if (len == 0 || len >= head_size)
        return NULL;
    memcpy(head, text, len);
    head[len] = '\0';
    return colon ? colon + 1 : text + len;
}

int external_next_param(const char **cursor, external_param *p, const char *agent, truce_error *err)
{
    const char *c = *cursor;
    if (!*c)
        return 0;
    const char *end = strchr(c, ':');
    size_t len = end ? (size_t)(end - c) : strlen(c);
    const char *eq = memchr(c, '=', len);
    if (!eq || eq == c)
        return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                         "agent '%s': parameter \"%.*s\" is not key=value", agent, (int)len, c);
    size_t klen = (size_t)(eq - c), vlen = len - klen - 1;
    if (klen >= sizeof p->key || vlen >= sizeof p->value)
        return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                         "agent '%s': parameter \"%.*s\" is too long", agent, (int)len, c);
    memcpy(p->key, c, klen);
    p->key[klen] = '\0';
    memcpy(p->value, eq + 1, vlen);
    p->value[vlen] = '\0';
    *cursor = end ? end + 1 : c + len;
    return 1;
}

int external_number(const char *text, int sizes, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    if (end == text || errno || !isfinite(d))
        return -1;
    if (sizes && *end) {
        double unit = *end == 'K' || *end == 'k' ? 1024.0
                      : *end == 'M'              ? 1024.0 * 1024
                      : *end == 'G'              ? 1024.0 * 1024 * 1024
                                                 : 0;
        if (unit == 0)
            return -1;
        d *= unit;
        end++;
    }
    if (*end)
        return -1;
    *out = d;
    return 0;
}
