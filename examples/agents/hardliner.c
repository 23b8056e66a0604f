/* hardliner.c: a truce agent in C, speaking JSON Lines (docs/agent-protocol.md) without a JSON
 * library: offers its best outcome every turn (within its party's hard conditions: truce's "best")
 * and accepts nothing; bench_negotiate times it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy the JSON array after "key": in line into out (up to the closing bracket). */
static int array_after(const char *line, const char *key, char *out, size_t size)
{
    const char *at = strstr(line, key);
    const char *open = at ? strchr(at, '[') : NULL;
    const char *close = open ? strchr(open, ']') : NULL;
    if (!close || (size_t)(close - open + 2) > size)
        return -1;
    memcpy(out, open, (size_t)(close - open + 1));
    out[close - open + 1] = '\0';
    return 0;
}

int main(void)
{
    char *line = NULL, best[65536] = "[]";
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        if (strstr(line, "\"type\":\"start\"")) {
            if (array_after(line, "\"best\":", best, sizeof best))
                return 2;
            printf("{\"type\":\"ready\",\"protocol\":1,\"name\":\"hardliner.c\"}\n");
        } else if (strstr(line, "\"type\":\"turn\"")) {
            printf("{\"action\":\"offer\",\"outcome\":%s}\n", best);
        } else if (strstr(line, "\"type\":\"review\"")) {
            /* a draft its party's hard conditions forbid may not be accepted */
            printf(strstr(line, "\"vetoed\":true") ? "{\"answer\":\"walk-away\"}\n"
                                                   : "{\"answer\":\"accept\"}\n");
        } else if (strstr(line, "\"type\":\"end\"")) {
            break;
        }
        fflush(stdout);
    }
    free(line);
    return 0;
}
