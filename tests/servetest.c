/* servetest.c: the truce serve child process and HTTP through libcurl (see
 * servetest.h). */
#define _DEFAULT_SOURCE
#include "servetest.h"

#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void start(served *s, const char *const *args);

void served_start(served *s, const char *const *args)
{
    memset(s, 0, sizeof *s);
    snprintf(s->data, sizeof s->data, "%s/data", temp_dir());
    snprintf(s->log, sizeof s->log, "%s.log", s->data);
    start(s, args);
}

void served_restart(served *s, const char *const *args)
{
    if (s->pid > 0)
        served_stop(s);
    start(s, args);
}

static void start(served *s, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = TRUCE_BINARY;
    argv[n++] = "serve";
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--data";
    argv[n++] = s->data;
    for (size_t k = 0; args && args[k] && n < 62; k++)
        argv[n++] = args[k];
    argv[n] = NULL;
    int out[2];
    if (pipe(out))
        fail_msg("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        int err = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(null, 0);
        dup2(out[1], 1);
        dup2(err, 2);
        close(out[0]);
        execv(TRUCE_BINARY, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    s->pid = (int)pid;
    s->out = out[0];
    char line[600] = "";
    size_t len = 0;
    time_t until = time(NULL) + 60;
    while (time(NULL) < until && !strchr(line, '\n') && len + 1 < sizeof line) {
        struct pollfd p = {out[0], POLLIN, 0};
        if (poll(&p, 1, 1000) <= 0)
            continue;
        ssize_t r = read(out[0], line + len, 1);
        if (r <= 0)
            break;
        len += (size_t)r;
        line[len] = '\0';
    }
    /* the rest of its output goes nowhere: keep the pipe drained by closing
     * it only after it stops (it prints one more line) */
    const char *at = strstr(line, "http://127.0.0.1:"), *key = strstr(line, "#key=");
    if (!at || !key) {
        char *log = slurp_file(s->log);
        fail_msg("truce serve did not print its address: '%s' (stderr: %s)", line, log ? log : "");
    }
    s->port = (unsigned)strtoul(at + strlen("http://127.0.0.1:"), NULL, 10);
    snprintf(s->key, sizeof s->key, "%.64s", key + 5);
    s->key[strcspn(s->key, "\r\n")] = '\0';
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u", s->port);
    /* the second line (scenario count) is read by nobody: a pipe holds it */
}

int served_stop(served *s)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    int status = 0;
    waitpid(s->pid, &status, 0);
    s->pid = 0;
    close(s->out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct sink {
    char *data;
    size_t len;
} sink;

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    sink *k = userdata;
    char *grown = realloc(k->data, k->len + size * n + 1);
    if (!grown)
        return 0;
    memcpy(grown + k->len, ptr, size * n);
    k->data = grown;
    k->len += size * n;
    k->data[k->len] = '\0';
    return size * n;
}

reply http(const served *s, const char *method, const char *path, const char *token,
           const char *body)
{
    reply r = {0};
    CURL *c = curl_easy_init();
    if (!c)
        fail_msg("curl_easy_init failed");
    char url[2048], auth[300];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    struct curl_slist *headers = NULL;
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth);
    }
    if (body)
        headers = curl_slist_append(headers, "Content-Type: application/json");
    sink k = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char *type = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    if (type)
        snprintf(r.content_type, sizeof r.content_type, "%s", type);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    r.body = k.data ? k.data : calloc(1, 1);
    r.length = k.len;
    return r;
}

json_t *reply_json(const reply *r)
{
    return json_loadb(r->body, r->length, 0, NULL);
}

void reply_free(reply *r)
{
    free(r->body);
    r->body = NULL;
}

json_t *create_session(const served *s, const char *definition)
{
    reply r = http(s, "POST", "/api/sessions", s->key, definition);
    if (r.status != 201)
        fail_msg("creating a session: HTTP %ld: %s", r.status, r.body);
    json_t *j = reply_json(&r);
    reply_free(&r);
    return j;
}

const char *seat_token(const json_t *created, const char *party)
{
    json_t *seats = json_object_get(created, "seats");
    for (size_t k = 0; k < json_array_size(seats); k++) {
        json_t *seat = json_array_get(seats, k);
        const char *p = json_string_value(json_object_get(seat, "party"));
        if (p && !strcmp(p, party))
            return json_string_value(json_object_get(seat, "token"));
    }
    return NULL;
}

int raw_request(const served *s, const char *bytes, size_t n, char *status, size_t size,
                double seconds)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)s->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    status[0] = '\0';
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = send(fd, bytes + done, n - done, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    char buf[4096];
    size_t len = 0;
    double until = (double)time(NULL) + seconds;
    while ((double)time(NULL) <= until && len + 1 < sizeof buf) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        if (strstr(buf, "\r\n"))
            break;
    }
    buf[len] = '\0';
    close(fd);
    size_t first = strcspn(buf, "\r\n");
    snprintf(status, size, "%.*s", (int)first, buf);
    return 0;
}
