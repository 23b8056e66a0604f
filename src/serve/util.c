/* util.c: small helpers of `truce serve`: clocks, random tokens compared in
 * constant time, and outcomes to and from JSON. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "internal.h"

double serve_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void serve_iso_time(char *buf, size_t size)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[40];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%03ldZ", day, ts.tv_nsec / 1000000);
}

int serve_random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    if (bytes > sizeof raw)
        return -1;
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = getrandom(raw + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t k = 0; k < bytes; k++) {
        out[2 * k] = hex[raw[k] >> 4];
        out[2 * k + 1] = hex[raw[k] & 15];
    }
    out[2 * bytes] = '\0';
    return 0;
}

int serve_token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    /* compare every byte of the expected token whatever the given one holds */
    for (size_t k = 0; k < lb; k++)
        diff |= (unsigned char)(b[k] ^ (k < la ? a[k] : 0));
    return diff == 0 && lb > 0;
}

json_t *serve_outcome_json(const truce_scenario *s, const uint32_t *outcome)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < truce_scenario_issue_count(s); i++) {
        char label[512];
        truce_issue_option_label(s, i, outcome[i], label, sizeof label);
        json_object_set_new(o, truce_issue_name(s, i), json_string(label));
    }
    return o;
}

json_t *serve_channel_windows(const truce_scenario *s)
{
    json_t *out = json_array();
    size_t n = truce_scenario_party_count(s);
    double days = truce_scenario_days(s);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            double first_from, first_until;
            size_t k = truce_channel_windows(s, a, b, &first_from, &first_until, 1);
            /* no channel, or a plain one open over the whole talks: nothing to show */
            if (k == 0 || (k == 1 && first_from == 0 && first_until >= 1))
                continue;
            double *from = malloc(k * sizeof *from), *until = malloc(k * sizeof *until);
            if (from && until)
                truce_channel_windows(s, a, b, from, until, k);
            for (size_t w = 0; from && until && w < k; w++) {
                json_t *j = json_pack("{s:[s,s],s:f,s:f}", "between", truce_party_name(s, a),
                                      truce_party_name(s, b), "from", from[w], "until", until[w]);
                if (days > 0) {
                    json_object_set_new(j, "from_day", json_real(from[w] * days));
                    json_object_set_new(j, "until_day", json_real(until[w] * days));
                }
                json_array_append_new(out, j);
            }
            free(from);
            free(until);
        }
    return out;
}

json_t *serve_real(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

void serve_strip(char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!n)
        return;
    char *at;
    while ((at = strstr(text, prefix)))
        memmove(at, at + n, strlen(at + n) + 1);
}

json_t *serve_vetoed(const truce_scenario *s, size_t party, const uint32_t *outcome)
{
    int h = party == (size_t)-1 ? -1 : truce_outcome_violates(s, party, outcome);
    if (h < 0)
        return json_null();
    return json_pack("{s:s,s:s}", "id", truce_hard_condition_id(s, party, (size_t)h), "label",
                     truce_hard_condition_label(s, party, (size_t)h));
}
