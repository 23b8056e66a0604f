/* cdp.c: a DevTools protocol client over Chromium's debugging pipe, just
 * enough for the browser tests: one page, commands and their replies,
 * exceptions and console errors collected from events. */
#define _DEFAULT_SOURCE
#include "cdp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CALL_SECONDS 60

struct cdp {
    pid_t pid;
    int to, from; /* our ends of the pipes */
    char *buf;
    size_t len, cap;
    long next_id;
    char session[128];
    char error[1024];
    json_t *errors;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *cdp_chromium(void)
{
    static const char *const candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t k = 0; k < sizeof candidates / sizeof *candidates; k++) {
        struct stat st;
        if (stat(candidates[k], &st) == 0)
            return candidates[k];
    }
    return NULL;
}

static int send_message(cdp *b, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!text)
        return -1;
    size_t n = strlen(text) + 1; /* the NUL ends the message */
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(b->to, text + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            free(text);
            return -1;
        }
        done += (size_t)w;
    }
    free(text);
    return 0;
}

/* The next message, or NULL after `seconds`. */
static json_t *receive(cdp *b, double seconds)
{
    double until = now() + seconds;
    for (;;) {
        char *end = b->len ? memchr(b->buf, '\0', b->len) : NULL;
        if (end) {
            size_t n = (size_t)(end - b->buf);
            json_t *j = json_loadb(b->buf, n, 0, NULL);
            memmove(b->buf, end + 1, b->len - n - 1);
            b->len -= n + 1;
            if (j)
                return j;
            continue;
        }
        double left = until - now();
        if (left <= 0)
            return NULL;
        struct pollfd p = {b->from, POLLIN, 0};
        int rc = poll(&p, 1, (int)(left * 1000) + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            return NULL;
        if (b->len + 65536 > b->cap) {
            size_t cap = b->cap ? 2 * b->cap : 1 << 20;
            while (cap < b->len + 65536)
                cap *= 2;
            char *grown = realloc(b->buf, cap);
            if (!grown)
                return NULL;
            b->buf = grown;
            b->cap = cap;
        }
        ssize_t r = read(b->from, b->buf + b->len, 65536);
        if (r <= 0)
            return NULL;
        b->len += (size_t)r;
    }
}

static void note_event(cdp *b, json_t *msg)
{
    const char *method = json_string_value(json_object_get(msg, "method"));
    json_t *params = json_object_get(msg, "params");
    if (!method)
        return;
    if (!strcmp(method, "Runtime.exceptionThrown")) {
        json_t *d = json_object_get(params, "exceptionDetails");
        json_t *ex = json_object_get(d, "exception");
        const char *text = json_string_value(json_object_get(ex, "description"));
        if (!text)
            text = json_string_value(json_object_get(d, "text"));
        json_array_append_new(b->errors, json_string(text ? text : "exception"));
    } else if (!strcmp(method, "Runtime.consoleAPICalled")) {
        const char *type = json_string_value(json_object_get(params, "type"));
        if (type && !strcmp(type, "error")) {
            json_t *arg0 = json_array_get(json_object_get(params, "args"), 0);
            const char *text = json_string_value(json_object_get(arg0, "value"));
            json_array_append_new(b->errors, json_string(text ? text : "console.error"));
        }
    }
}

static json_t *call(cdp *b, const char *method, json_t *params, int on_page)
{
    long id = ++b->next_id;
    json_t *msg = json_pack("{s:I,s:s,s:o}", "id", (json_int_t)id, "method", method, "params",
                            params ? params : json_object());
    if (on_page && b->session[0])
        json_object_set_new(msg, "sessionId", json_string(b->session));
    if (send_message(b, msg)) {
        snprintf(b->error, sizeof b->error, "%s: cannot write to Chromium", method);
        return NULL;
    }
    double until = now() + CALL_SECONDS;
    while (now() < until) {
        json_t *reply = receive(b, until - now());
        if (!reply)
            break;
        json_t *rid = json_object_get(reply, "id");
        if (!rid) {
            note_event(b, reply);
            json_decref(reply);
            continue;
        }
        if (json_integer_value(rid) != id) {
            json_decref(reply);
            continue;
        }
        json_t *error = json_object_get(reply, "error");
        if (error) {
            snprintf(b->error, sizeof b->error, "%s: %s", method,
                     json_string_value(json_object_get(error, "message")));
            json_decref(reply);
            return NULL;
        }
        json_t *result = json_incref(json_object_get(reply, "result"));
        json_decref(reply);
        return result ? result : json_object();
    }
    snprintf(b->error, sizeof b->error, "%s: no answer from Chromium", method);
    return NULL;
}

json_t *cdp_call(cdp *b, const char *method, json_t *params)
{
    return call(b, method, params, 1);
}

const char *cdp_error(const cdp *b)
{
    return b->error;
}

json_t *cdp_page_errors(cdp *b)
{
    return b->errors;
}

cdp *cdp_start(const char *chromium, const char *profile, int width, int height)
{
    int to[2], from[2];
    if (pipe(to) || pipe(from))
        return NULL;
    char user_data[1200], size[64];
    snprintf(user_data, sizeof user_data, "--user-data-dir=%s", profile);
    snprintf(size, sizeof size, "--window-size=%d,%d", width, height);
    pid_t pid = fork();
    if (pid < 0)
        return NULL;
    if (pid == 0) {
        /* Chromium reads commands on descriptor 3 and answers on 4 */
        int in = dup(to[0]), out = dup(from[1]);
        dup2(in, 3);
        dup2(out, 4);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        for (int fd = 5; fd < 1024; fd++)
            close(fd);
        /* --no-sandbox: tests run as root in CI */
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--disable-dev-shm-usage", /* containers have a small /dev/shm */
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-extensions", "--hide-scrollbars",
              "--disable-features=Translate,MediaRouter", "--remote-debugging-pipe", user_data,
              size, "about:blank", (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    cdp *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->pid = pid;
    b->to = to[1];
    b->from = from[0];
    b->errors = json_array();
    signal(SIGPIPE, SIG_IGN);
    json_t *target = call(b, "Target.createTarget", json_pack("{s:s}", "url", "about:blank"), 0);
    const char *target_id = json_string_value(json_object_get(target, "targetId"));
    json_t *attached = target_id
                           ? call(b, "Target.attachToTarget",
                                  json_pack("{s:s,s:b}", "targetId", target_id, "flatten", 1), 0)
                           : NULL;
    const char *session = json_string_value(json_object_get(attached, "sessionId"));
    if (session)
        snprintf(b->session, sizeof b->session, "%s", session);
    json_decref(target);
    json_decref(attached);
    json_t *r1 = b->session[0] ? cdp_call(b, "Page.enable", NULL) : NULL;
    json_t *r2 = r1 ? cdp_call(b, "Runtime.enable", NULL) : NULL;
    json_t *r3 = r2 ? cdp_call(b, "Emulation.setDeviceMetricsOverride",
                               json_pack("{s:i,s:i,s:i,s:b}", "width", width, "height", height,
                                         "deviceScaleFactor", 1, "mobile", 0))
                    : NULL;
    int ok = r3 != NULL;
    json_decref(r1);
    json_decref(r2);
    json_decref(r3);
    if (!ok) {
        fprintf(stderr, "cdp: Chromium did not start: %s\n", b->error);
        cdp_stop(b);
        return NULL;
    }
    return b;
}

void cdp_stop(cdp *b)
{
    if (!b)
        return;
    json_decref(call(b, "Browser.close", NULL, 0));
    close(b->to);
    close(b->from);
    int status;
    for (int k = 0; k < 100 && waitpid(b->pid, &status, WNOHANG) == 0; k++)
        usleep(50000);
    if (waitpid(b->pid, &status, WNOHANG) == 0) {
        kill(b->pid, SIGKILL);
        waitpid(b->pid, &status, 0);
    }
    json_decref(b->errors);
    free(b->buf);
    free(b);
}

json_t *cdp_eval(cdp *b, const char *fmt, ...)
{
    char expression[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expression, sizeof expression, fmt, ap);
    va_end(ap);
    json_t *r = cdp_call(b, "Runtime.evaluate",
                         json_pack("{s:s,s:b,s:b}", "expression", expression, "awaitPromise", 1,
                                   "returnByValue", 1));
    if (!r)
        return NULL;
    json_t *ex = json_object_get(r, "exceptionDetails");
    if (ex) {
        json_t *e = json_object_get(ex, "exception");
        snprintf(b->error, sizeof b->error, "%s",
                 json_string_value(json_object_get(e, "description"))
                     ? json_string_value(json_object_get(e, "description"))
                     : "exception");
        json_decref(r);
        return NULL;
    }
    json_t *value = json_object_get(json_object_get(r, "result"), "value");
    json_t *out = value ? json_incref(value) : json_null();
    json_decref(r);
    return out;
}

int cdp_true(cdp *b, const char *expression)
{
    json_t *v = cdp_eval(b, "!!(%s)", expression);
    int t = json_is_true(v);
    json_decref(v);
    return t;
}

double cdp_number(cdp *b, const char *expression)
{
    json_t *v = cdp_eval(b, "Number(%s)", expression);
    double d = json_is_number(v) ? json_number_value(v) : 0.0 / 0.0;
    json_decref(v);
    return d;
}

char *cdp_string(cdp *b, const char *expression)
{
    json_t *v =
        cdp_eval(b, "(function(){const v=(%s);return v==null?null:String(v);})()", expression);
    char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
    json_decref(v);
    return s;
}

int cdp_wait(cdp *b, const char *expression, double seconds)
{
    double until = now() + seconds;
    while (now() < until) {
        if (cdp_true(b, expression))
            return 0;
        usleep(100000);
    }
    snprintf(b->error, sizeof b->error, "timed out after %.0f s waiting for %s", seconds,
             expression);
    return -1;
}

int cdp_navigate(cdp *b, const char *url)
{
    json_t *r = cdp_call(b, "Page.navigate", json_pack("{s:s}", "url", url));
    if (!r)
        return -1;
    json_decref(r);
    return cdp_wait(b, "document.readyState === 'complete'", 30);
}

char *cdp_quote(const char *text)
{
    json_t *v = json_string(text);
    char *q = json_dumps(v, JSON_ENCODE_ANY);
    json_decref(v);
    return q;
}

int cdp_click(cdp *b, const char *selector)
{
    char expression[2048];
    char *q = cdp_quote(selector);
    snprintf(expression, sizeof expression,
             "(function(){const e=document.querySelector(%s);if(!e||e.disabled)return null;"
             "e.scrollIntoView({block:'center'});const r=e.getClientRects()[0];if(!r)return null;"
             "if(r.width===0||r.height===0)return null;return [r.x+r.width/2,r.y+r.height/2];})()",
             q);
    free(q);
    json_t *at = cdp_eval(b, "%s", expression);
    if (!json_is_array(at)) {
        snprintf(b->error, sizeof b->error, "nothing to click at %s", selector);
        json_decref(at);
        return -1;
    }
    double x = json_number_value(json_array_get(at, 0)),
           y = json_number_value(json_array_get(at, 1));
    json_decref(at);
    static const char *const kinds[] = {"mousePressed", "mouseReleased"};
    for (int k = 0; k < 2; k++) {
        json_t *r = cdp_call(b, "Input.dispatchMouseEvent",
                             json_pack("{s:s,s:f,s:f,s:s,s:i}", "type", kinds[k], "x", x, "y", y,
                                       "button", "left", "clickCount", 1));
        if (!r)
            return -1;
        json_decref(r);
    }
    return 0;
}

int cdp_select(cdp *b, const char *selector, const char *value)
{
    char *quoted = cdp_quote(value), *q = cdp_quote(selector);
    json_t *r = cdp_eval(b,
                         "(function(){const e=document.querySelector(%s);if(!e)return false;"
                         "e.value=%s;if(e.value!==%s)return false;"
                         "e.dispatchEvent(new Event('change',{bubbles:true}));return true;})()",
                         q, quoted, quoted);
    free(quoted);
    free(q);
    int ok = json_is_true(r);
    json_decref(r);
    if (!ok)
        snprintf(b->error, sizeof b->error, "cannot choose %s in %s", value, selector);
    return ok ? 0 : -1;
}

int cdp_set_files(cdp *b, const char *selector, const char *const *paths, size_t n)
{
    char expression[1024];
    char *q = cdp_quote(selector);
    snprintf(expression, sizeof expression, "document.querySelector(%s)", q);
    free(q);
    json_t *r = cdp_call(b, "Runtime.evaluate", json_pack("{s:s}", "expression", expression));
    const char *object =
        json_string_value(json_object_get(json_object_get(r, "result"), "objectId"));
    json_t *files = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(files, json_string(paths[k]));
    json_t *done = object ? cdp_call(b, "DOM.setFileInputFiles",
                                     json_pack("{s:o,s:s}", "files", files, "objectId", object))
                          : (json_decref(files), NULL);
    json_decref(r);
    int ok = done != NULL;
    json_decref(done);
    return ok ? 0 : -1;
}

static int base64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int cdp_screenshot(cdp *b, const char *path)
{
    json_t *r = cdp_call(b, "Page.captureScreenshot", json_pack("{s:s}", "format", "png"));
    const char *data = json_string_value(json_object_get(r, "data"));
    if (!data) {
        json_decref(r);
        return -1;
    }
    size_t n = strlen(data);
    unsigned char *png = malloc(n / 4 * 3 + 3);
    size_t len = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t k = 0; png && k < n; k++) {
        int v = base64_value((unsigned char)data[k]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            png[len++] = (unsigned char)(acc >> bits);
        }
    }
    json_decref(r);
    FILE *f = png ? fopen(path, "wb") : NULL;
    int ok = f && fwrite(png, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(png);
    return ok ? 0 : -1;
}
