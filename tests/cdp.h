/* cdp.h: drive headless Chromium through the DevTools protocol over a pipe
 * (--remote-debugging-pipe: JSON messages ended by NUL on descriptors 3 and
 * 4), for the browser tests of truce serve: no WebSocket, no npm. */
#ifndef TRUCE_TEST_CDP_H
#define TRUCE_TEST_CDP_H

#include <jansson.h>

typedef struct cdp cdp;

/* The Chromium found on this machine, or NULL. */
const char *cdp_chromium(void);
/* Start Chromium (headless, its own profile in `profile`) with one page of
 * width x height; NULL on failure (the message on stderr). */
cdp *cdp_start(const char *chromium, const char *profile, int width, int height);
/* Close the browser and reap it. */
void cdp_stop(cdp *b);
/* Call a method on the page; the result (a new reference) or NULL with the
 * error in cdp_error(). params is taken. */
json_t *cdp_call(cdp *b, const char *method, json_t *params);
const char *cdp_error(const cdp *b);
/* Evaluate JavaScript in the page (awaiting a promise); its value (new
 * reference; JSON null for undefined) or NULL when it threw. */
json_t *cdp_eval(cdp *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The value as a boolean, a number or a string (malloc'd; NULL for none). */
int cdp_true(cdp *b, const char *expression);
double cdp_number(cdp *b, const char *expression);
char *cdp_string(cdp *b, const char *expression);
/* Go to url and wait until the document has loaded; 0 or -1. */
int cdp_navigate(cdp *b, const char *url);
/* Wait until expression is truthy; 0, or -1 after `seconds`. */
int cdp_wait(cdp *b, const char *expression, double seconds);
/* Click the element a CSS selector finds, as a mouse does: at its centre,
 * through Input.dispatchMouseEvent; 0 or -1 (not found, hidden, disabled). */
int cdp_click(cdp *b, const char *selector);
/* Choose an option of a <select> by its value (firing "change"); 0 or -1. */
int cdp_select(cdp *b, const char *selector, const char *value);
/* Put files into an <input type=file>; 0 or -1. */
int cdp_set_files(cdp *b, const char *selector, const char *const *paths, size_t n);
/* A PNG screenshot of the page into path; 0 or -1. */
int cdp_screenshot(cdp *b, const char *path);
/* A JavaScript string literal of text (malloc'd). */
char *cdp_quote(const char *text);
/* Exceptions the page threw and console errors it logged so far (a JSON
 * array, borrowed). */
json_t *cdp_page_errors(cdp *b);

#endif
