/* test_serve_browser.c: the page of truce serve driven in headless Chromium
 * (DevTools protocol over a pipe, tests/cdp.c) as people use it: a person
 * plays a whole negotiation against boulware on a GENIUS scenario, two
 * browsers negotiate with each other to an agreement (one leaving and
 * rejoining with its link), a person mediates the seed case with another
 * person as Kyiv, and bad uploads show the command line's error. Screenshots
 * stay in BUILD/artifacts. */
#define _DEFAULT_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cdp.h"
#include "servetest.h"

#define CEASEFIRE TRUCE_EXAMPLES "/genius/ceasefire"
#define SEED TRUCE_EXAMPLES "/seed/truce-talks.yaml"

static const char *chromium;

static int setup(void **state)
{
    (void)state;
    chromium = cdp_chromium();
    if (!chromium) {
        /* not a skip: the browser tests are part of the suite, and CI must not pass without
         * them */
        fprintf(stderr, "test_serve_browser: no Chromium at /usr/bin/chromium: run "
                        "'scripts/deps.sh test' (make test does) to install it\n");
        exit(1);
    }
    mkdir(TRUCE_ARTIFACTS, 0777);
    return 0;
}

static cdp *browser(void)
{
    char profile[700];
    snprintf(profile, sizeof profile, "%s/profile", temp_dir());
    cdp *b = cdp_start(chromium, profile, 1280, 1000);
    if (!b)
        fail_msg("Chromium did not start");
    return b;
}

static void shot(cdp *b, const char *name)
{
    char path[900];
    snprintf(path, sizeof path, "%s/%s.png", TRUCE_ARTIFACTS, name);
    if (cdp_screenshot(b, path))
        fail_msg("screenshot %s failed: %s", name, cdp_error(b));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 5000); /* a page, not a blank */
}

static void wait_for(cdp *b, const char *expression, double seconds)
{
    if (cdp_wait(b, expression, seconds)) {
        char *text = cdp_string(b, "document.body.innerText");
        fail_msg("%s\npage: %.3000s", cdp_error(b), text ? text : "");
    }
}

static void click(cdp *b, const char *selector)
{
    if (cdp_click(b, selector))
        fail_msg("click %s: %s", selector, cdp_error(b));
}

static void choose(cdp *b, const char *selector, const char *value)
{
    if (cdp_select(b, selector, value))
        fail_msg("%s", cdp_error(b));
}

static void no_page_errors(cdp *b)
{
    json_t *errors = cdp_page_errors(b);
    if (json_array_size(errors)) {
        char *text = json_dumps(errors, 0);
        fail_msg("the page threw or logged errors: %s", text);
    }
}

static void open_home(cdp *b, const served *s)
{
    char url[300];
    snprintf(url, sizeof url, "%s/#key=%s", s->base, s->key);
    if (cdp_navigate(b, url))
        fail_msg("%s", cdp_error(b));
    wait_for(b, "document.querySelector('.scenario-link')", 30);
    /* the key left the address at once */
    char *hash = cdp_string(b, "location.hash");
    assert_string_equal(hash, "#/");
    free(hash);
}

/* The one trace the server wrote; its line count. */
static char *only_trace(const served *s, size_t *lines)
{
    char dir[800];
    snprintf(dir, sizeof dir, "%s/traces", s->data);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    char *found = NULL;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".jsonl") && !strstr(de->d_name, ".part")) {
            assert_null(found);
            found = malloc(strlen(dir) + strlen(de->d_name) + 2);
            sprintf(found, "%s/%s", dir, de->d_name);
        }
    closedir(d);
    assert_non_null(found);
    char *text = slurp_file(found);
    *lines = 0;
    for (char *c = text; *c; c++)
        *lines += *c == '\n';
    free(text);
    return found;
}

static long long db_count(const served *s, const char *sql)
{
    char path[800];
    snprintf(path, sizeof path, "%s/sessions.db", s->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Every action reached the trace file and the database, one row each, and
 * `truce report` reads the trace. */
static void check_records(const served *s, const char *scenario)
{
    size_t lines;
    char *trace = only_trace(s, &lines);
    assert_true(lines >= 3);
    assert_int_equal(db_count(s, "SELECT count(*) FROM actions"), (long long)lines);
    char html[800];
    snprintf(html, sizeof html, "%s/report.html", temp_dir());
    const char *args[] = {"report", scenario, trace, "-o", html, NULL};
    cli_result r = cli_run(args);
    if (r.status != 0)
        fail_msg("truce report on the session's trace: %s", r.err);
    cli_run_free(&r);
    free(trace);
}

/* ---- a person against boulware ---- */

static void test_person_plays_boulware_on_a_genius_scenario(void **state)
{
    (void)state;
    served s;
    const char *args[] = {CEASEFIRE, NULL};
    served_start(&s, args);
    cdp *b = browser();
    open_home(b, &s);
    click(b, "a.scenario-link[href=\"#/scenario/ceasefire\"]");
    wait_for(b, "document.querySelector('#new-session') && document.querySelector('#analysis')",
             30);
    wait_for(b, "document.querySelectorAll('#analysis-plots img').length >= 1", 30);
    assert_true(
        cdp_true(b, "document.querySelector('#zone').textContent.includes('zone of agreement')"));
    shot(b, "serve-scenario-analysis");
    choose(b, "#protocol", "negotiation");
    choose(b, "select.seat-kind[data-party=\"russia\"]", "boulware");
    choose(b, "select.seat-kind[data-party=\"ukraine\"]", "person");
    json_decref(cdp_eval(b, "document.querySelector('#deadline-value').value = '12'"));
    click(b, "#create-session");
    wait_for(b, "document.querySelector('.open-seat')", 30);
    click(b, ".open-seat");
    wait_for(b, "document.querySelector('#btn-offer')", 30);
    /* the live utility of the composed offer and the hints beside each option */
    wait_for(b, "/^[0-9.]+$/.test(document.querySelector('#own-utility').textContent)", 20);
    wait_for(b, "document.querySelector('select.clause').options[0].textContent.includes('—')", 20);
    assert_true(cdp_true(b, "document.querySelector('#batna').textContent === '0.300'"));
    shot(b, "serve-person-turn");
    int turns = 0;
    for (; turns < 40; turns++) {
        wait_for(b, "document.querySelector('#summary') || document.querySelector('#btn-offer')",
                 60);
        if (cdp_true(b, "document.querySelector('#summary')"))
            break;
        char *round = cdp_string(b, "document.querySelector('#round').textContent");
        double offered = cdp_number(b, "document.querySelector('#offer-utility') ? "
                                       "document.querySelector('#offer-utility').textContent : -1");
        int late = round && strstr(round, "round 8 ");
        /* a person who holds out, then takes what boulware gives */
        if ((late || offered >= 0.6) &&
            cdp_true(b, "!document.querySelector('#btn-accept').disabled"))
            click(b, "#btn-accept");
        else
            click(b, "#btn-offer");
        char expression[300];
        char *quoted = cdp_quote(round ? round : "");
        snprintf(expression, sizeof expression,
                 "document.querySelector('#summary') || (document.querySelector('#round') && "
                 "document.querySelector('#round').textContent !== %s)",
                 quoted);
        wait_for(b, expression, 60);
        free(quoted);
        free(round);
    }
    wait_for(b, "document.querySelector('#summary')", 60);
    assert_true(turns >= 2);
    wait_for(b, "document.querySelectorAll('#summary-plots img').length >= 2", 60);
    char *title = cdp_string(b, "document.querySelector('#summary-title').textContent");
    assert_string_equal(title, "Agreement");
    free(title);
    /* both parties' utilities, BATNAs and distances are shown */
    assert_true(cdp_true(b, "document.querySelectorAll('#summary-parties tbody tr').length === 2"));
    assert_true(
        cdp_true(b, "/^[0-9.]+$/.test(document.querySelector('#pareto-distance').textContent)"));
    assert_true(
        cdp_true(b, "/^[0-9.]+$/.test(document.querySelector('#nash-distance').textContent)"));
    shot(b, "serve-person-summary");
    no_page_errors(b);
    cdp_stop(b);
    assert_int_equal(served_stop(&s), 0);
    check_records(&s, CEASEFIRE);
}

/* ---- two people ---- */

static void test_two_browsers_negotiate_to_an_agreement(void **state)
{
    (void)state;
    served s;
    const char *args[] = {CEASEFIRE, NULL};
    served_start(&s, args);
    json_t *created = create_session(
        &s, "{\"scenario\":\"ceasefire\",\"seats\":[{\"party\":\"russia\",\"kind\":\"person\","
            "\"name\":\"Anna\"},{\"party\":\"ukraine\",\"kind\":\"person\",\"name\":\"Bohdan\"}],"
            "\"deadline\":{\"rounds\":10}}");
    const char *id = json_string_value(json_object_get(created, "id"));
    char a_url[400], b_url[400];
    snprintf(a_url, sizeof a_url, "%s/#/seat/%s/%s", s.base, id, seat_token(created, "russia"));
    snprintf(b_url, sizeof b_url, "%s/#/seat/%s/%s", s.base, id, seat_token(created, "ukraine"));
    cdp *a = browser(), *b = browser();
    assert_int_equal(cdp_navigate(a, a_url), 0);
    wait_for(a, "document.querySelector('#waiting-room')", 30);
    shot(a, "serve-two-waiting-room");
    assert_int_equal(cdp_navigate(b, b_url), 0);
    /* russia moves first: its best deal */
    wait_for(a, "document.querySelector('#btn-offer')", 30);
    wait_for(a, "/^[0-9.]+$/.test(document.querySelector('#own-utility').textContent)", 20);
    click(a, "#btn-offer");
    /* ukraine closes its tab and comes back with its link */
    wait_for(b, "document.querySelector('#btn-offer')", 30);
    assert_int_equal(cdp_navigate(b, "about:blank"), 0);
    assert_int_equal(cdp_navigate(b, b_url), 0);
    wait_for(b, "document.querySelector('#btn-offer')", 30);
    wait_for(b, "document.querySelector('#offer-utility')", 30);
    click(b, "#btn-offer");
    /* russia moves toward ukraine: ukraine's own last offer, but sanctions relief 10 */
    wait_for(a,
             "document.querySelector('#btn-offer') && "
             "document.querySelector('#round').textContent.startsWith('round 2')",
             30);
    json_t *v = cdp_eval(a, "(function(){const h=document.querySelectorAll('#history li');"
                            "return h[h.length-1].textContent;})()");
    assert_true(json_is_string(v) && strstr(json_string_value(v), "ukraine offers"));
    json_decref(v);
    choose(a, "select.clause[data-issue=\"territory\"]", "freeze along the front line");
    choose(a, "select.clause[data-issue=\"sanctions relief (percent)\"]", "10");
    wait_for(a, "/^[0-9.]+$/.test(document.querySelector('#own-utility').textContent)", 20);
    shot(a, "serve-two-russia-composes");
    click(a, "#btn-offer");
    wait_for(b,
             "document.querySelector('#round') && "
             "document.querySelector('#round').textContent.startsWith('round 2') && "
             "document.querySelector('#offer-utility')",
             30);
    shot(b, "serve-two-ukraine-considers");
    click(b, "#btn-accept");
    wait_for(a, "document.querySelector('#summary-title')", 30);
    wait_for(b, "document.querySelector('#summary-title')", 30);
    char *ta = cdp_string(a, "document.querySelector('#summary-title').textContent");
    char *tb = cdp_string(b, "document.querySelector('#summary-title').textContent");
    assert_string_equal(ta, "Agreement");
    assert_string_equal(tb, "Agreement");
    char *deal_a = cdp_string(a, "document.querySelector('#summary table.outcome').textContent");
    char *deal_b = cdp_string(b, "document.querySelector('#summary table.outcome').textContent");
    assert_string_equal(deal_a, deal_b);
    assert_non_null(strstr(deal_a, "freeze along the front line"));
    wait_for(a, "document.querySelectorAll('#summary-plots img').length >= 2", 60);
    shot(a, "serve-two-summary-russia");
    shot(b, "serve-two-summary-ukraine");
    no_page_errors(a);
    no_page_errors(b);
    free(ta);
    free(tb);
    free(deal_a);
    free(deal_b);
    cdp_stop(a);
    cdp_stop(b);
    json_decref(created);
    assert_int_equal(served_stop(&s), 0);
    check_records(&s, CEASEFIRE);
    /* the rejoin was recorded: two joins of ukraine's seat at most one each */
    assert_int_equal(db_count(&s, "SELECT count(*) FROM presence WHERE event='join'"), 2);
}

/* ---- a person mediates the seed case ---- */

/* Click an action's button and wait until the page moved on: the action's
 * card changed, or the talks ended. */
static void click_and_wait(cdp *b, const char *selector)
{
    char *heading = cdp_string(b, "document.querySelector('#action h2').textContent");
    char *quoted = cdp_quote(heading ? heading : "");
    click(b, selector);
    char expression[600];
    snprintf(expression, sizeof expression,
             "document.querySelector('#summary') || !document.querySelector('#action h2') || "
             "document.querySelector('#action h2').textContent !== %s",
             quoted);
    wait_for(b, expression, 60);
    free(quoted);
    free(heading);
}

static void test_person_mediates_the_seed_case(void **state)
{
    (void)state;
    served s;
    const char *args[] = {SEED, NULL};
    served_start(&s, args);
    cdp *us = browser();
    open_home(us, &s);
    click(us, "a.scenario-link[href=\"#/scenario/truce-talks\"]");
    wait_for(us, "document.querySelector('#new-session')", 60);
    choose(us, "#protocol", "mediation");
    choose(us, "select.seat-kind[data-party=\"russia\"]", "responder");
    choose(us, "select.seat-kind[data-party=\"ukraine\"]", "person");
    choose(us, "select.seat-kind[data-party=\"usa\"]", "person");
    /* Kyiv is shown the others' issue weights and BATNAs; the mediator nothing */
    choose(us, "select.seat-reveal[data-party=\"ukraine\"]", "weights,reservations");
    json_decref(cdp_eval(us, "document.querySelector('#deadline-value').value = '4'"));
    click(us, "#create-session");
    wait_for(us, "document.querySelectorAll('.seat-link').length === 2", 30);
    char *kyiv = cdp_string(us, "document.querySelector('.seat-link[data-party=\"ukraine\"] "
                                "a.open-seat').href");
    assert_non_null(kyiv);
    click(us, ".seat-link[data-party=\"usa\"] a.open-seat");
    cdp *ua = browser();
    assert_int_equal(cdp_navigate(ua, kyiv), 0);
    free(kyiv);
    /* the mediator writes the first draft; the page shows its channels */
    wait_for(us, "document.querySelector('#btn-send-draft')", 60);
    assert_true(
        cdp_true(us, "document.querySelector('#channels').textContent.includes('russia ↔ usa')"));
    assert_true(cdp_true(
        us, "!document.querySelector('#channels').textContent.includes('russia ↔ ukraine')"));
    choose(us, "select.clause[data-issue=\"territory\"]", "freeze-front-line");
    choose(us, "select.clause[data-issue=\"ceasefire\"]", "with-framework");
    shot(us, "serve-mediator-first-draft");
    click_and_wait(us, "#btn-send-draft");
    int reviews = 0, drafts = 1;
    for (int step = 0; step < 40; step++) {
        if (cdp_true(us, "document.querySelector('#summary')"))
            break;
        if (cdp_true(ua, "document.querySelector('#btn-object')")) {
            if (!reviews) {
                shot(ua, "serve-kyiv-reviews-draft");
                wait_for(ua, "document.querySelector('#others')", 30);
                assert_true(
                    cdp_true(ua, "document.querySelector('#others tr.other[data-party=\"russia\"] "
                                 ".other-weights').textContent.startsWith('cares about ')"));
                assert_true(
                    cdp_true(ua, "document.querySelector('#others tr.other[data-party=\"russia\"] "
                                 ".other-batna').textContent.startsWith('BATNA ')"));
                assert_true(cdp_true(us, "!document.querySelector('#others')"));
            }
            /* Kyiv asks for a treaty on guarantees each time */
            choose(ua, "select.clause[data-issue=\"europe-guarantees\"]", "treaty");
            click_and_wait(ua, "#btn-object");
            reviews++;
            continue;
        }
        if (cdp_true(us, "document.querySelector('#btn-send-draft')")) {
            /* the answers came back along the channels */
            wait_for(us, "document.querySelectorAll('#answers .answer').length === 2", 30);
            if (drafts == 1) {
                shot(us, "serve-mediator-answers");
                /* whether each says the draft beats its BATNA */
                assert_true(cdp_true(
                    us, "document.querySelectorAll('#answers .beats-batna').length === 2"));
            }
            /* take up Kyiv's request */
            choose(us, "select.clause[data-issue=\"europe-guarantees\"]", "treaty");
            click_and_wait(us, "#btn-send-draft");
            drafts++;
            continue;
        }
        usleep(200000);
    }
    wait_for(us, "document.querySelector('#summary-title')", 60);
    wait_for(ua, "document.querySelector('#summary-title')", 60);
    assert_true(reviews >= 1);
    assert_true(drafts >= 2);
    /* Kyiv heard only what came along its channels: never Moscow's answers */
    assert_true(cdp_true(ua, "Array.from(document.querySelectorAll('#history li')).every(li => "
                             "!li.textContent.includes('russia → usa'))"));
    assert_true(cdp_true(us, "Array.from(document.querySelectorAll('#history li')).some(li => "
                             "li.textContent.includes('russia → usa'))"));
    wait_for(us, "document.querySelectorAll('#summary-plots img').length >= 3", 60);
    shot(us, "serve-mediator-summary");
    shot(ua, "serve-kyiv-summary");
    no_page_errors(us);
    no_page_errors(ua);
    cdp_stop(us);
    cdp_stop(ua);
    assert_int_equal(served_stop(&s), 0);
    check_records(&s, SEED);
}

/* ---- uploads ---- */

/* The command line's message for a file, without "truce check: " and the
 * folder the file sits in (the page names uploads by their file names). */
static char *cli_message(const char *path, const char *folder)
{
    const char *args[] = {"check", path, NULL};
    cli_result r = cli_run(args);
    assert_int_equal(r.status, 1);
    const char *m = strstr(r.err, "truce check: ");
    assert_non_null(m);
    m += strlen("truce check: ");
    char *out = malloc(strlen(m) + 1);
    char *w = out;
    size_t skip = strlen(folder);
    for (const char *c = m; *c && *c != '\n';) {
        if (!strncmp(c, folder, skip) && c[skip] == '/') {
            c += skip + 1;
            continue;
        }
        *w++ = *c++;
    }
    *w = '\0';
    cli_run_free(&r);
    return out;
}

static void upload(cdp *b, const char *const *paths, size_t n)
{
    json_decref(cdp_eval(b, "document.querySelector('#upload-error').textContent = ''"));
    if (cdp_set_files(b, "#upload-files", paths, n))
        fail_msg("could not put files in the upload field: %s", cdp_error(b));
    click(b, "#upload-button");
}

static void test_bad_uploads_show_the_cli_error(void **state)
{
    (void)state;
    served s;
    const char *args[] = {CEASEFIRE, NULL};
    served_start(&s, args);
    cdp *b = browser();
    open_home(b, &s);
    /* a YAML scenario with a syntax error */
    const char *bad_yaml =
        temp_file("talks.yaml", "truce: 1\nname: x\nissues:\n  - id: a\n    options: [p, q\n");
    char folder[700];
    snprintf(folder, sizeof folder, "%s", bad_yaml);
    *strrchr(folder, '/') = '\0';
    char *expected = cli_message(bad_yaml, folder);
    upload(b, &bad_yaml, 1);
    wait_for(b, "document.querySelector('#upload-error').textContent.length > 0", 30);
    char *shown = cdp_string(b, "document.querySelector('#upload-error').textContent");
    assert_string_equal(shown, expected);
    shot(b, "serve-upload-bad-yaml");
    free(shown);
    free(expected);
    /* a GENIUS scenario whose profile weighs an issue the domain lacks */
    char genius[700];
    snprintf(genius, sizeof genius, "%s/genius", temp_dir());
    mkdir(genius, 0777);
    char domain[800], profile[800];
    snprintf(domain, sizeof domain, "%s/tiny_domain.xml", genius);
    snprintf(profile, sizeof profile, "%s/tiny_party1.xml", genius);
    FILE *f = fopen(domain, "w");
    fputs("<negotiation_template>\n<utility_space>\n<objective index=\"0\" name=\"root\" "
          "type=\"objective\" etype=\"objective\">\n<issue index=\"1\" name=\"price\" "
          "type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">\n<item index=\"1\" "
          "value=\"low\"/>\n<item index=\"2\" value=\"high\"/>\n</issue>\n</objective>\n"
          "</utility_space>\n</negotiation_template>\n",
          f);
    fclose(f);
    f = fopen(profile, "w");
    fputs("<utility_space>\n<objective index=\"0\" name=\"root\" type=\"objective\" "
          "etype=\"objective\">\n<issue index=\"1\" name=\"price\" type=\"discrete\" "
          "etype=\"discrete\" vtype=\"discrete\">\n<item index=\"1\" value=\"low\" "
          "evaluation=\"1\"/>\n<item index=\"2\" value=\"high\" evaluation=\"2\"/>\n</issue>\n"
          "<weight index=\"1\" value=\"1.0\">\n</objective>\n</utility_space>\n",
          f);
    fclose(f);
    expected = cli_message(genius, genius);
    const char *files[] = {domain, profile};
    upload(b, files, 2);
    wait_for(b, "document.querySelector('#upload-error').textContent.length > 0", 30);
    shown = cdp_string(b, "document.querySelector('#upload-error').textContent");
    assert_string_equal(shown, expected);
    shot(b, "serve-upload-bad-genius");
    free(shown);
    free(expected);
    /* labels that are markup stay text: nothing they hold runs */
    const char *evil = temp_file(
        "evil.yaml",
        "truce: 1\nname: \"<script>window.__pwned=1</script>\"\nissues:\n"
        "  - id: \"<img src=x onerror=window.__pwned=2>\"\n"
        "    options: [\"<b>bold</b>\", \"\\\"><svg onload=window.__pwned=3>\", plain]\n"
        "  - id: money\n    options: [low, high]\nparties:\n  - id: a\n"
        "    label: \"<img src=x onerror=window.__pwned=4>\"\n"
        "    weights: {\"<img src=x onerror=window.__pwned=2>\": 0.5, money: 0.5}\n"
        "    values:\n      \"<img src=x onerror=window.__pwned=2>\": {\"<b>bold</b>\": 1, "
        "\"\\\"><svg onload=window.__pwned=3>\": 0.5, plain: 0}\n      money: {low: 0, high: 1}\n"
        "    hard_conditions:\n      - id: \"<i>no</i>\"\n"
        "        label: \"<script>window.__pwned=5</script>\"\n        require: {money: [high]}\n"
        "  - id: b\n    label: \"</title><script>window.__pwned=6</script>\"\n"
        "    weights: {\"<img src=x onerror=window.__pwned=2>\": 0.5, money: 0.5}\n"
        "    values:\n      \"<img src=x onerror=window.__pwned=2>\": {\"<b>bold</b>\": 0, "
        "\"\\\"><svg onload=window.__pwned=3>\": 0.5, plain: 1}\n      money: {low: 1, high: 0}\n");
    upload(b, &evil, 1);
    wait_for(b, "document.querySelector('#scenario-name')", 60);
    wait_for(b, "document.querySelectorAll('#analysis-plots img').length >= 1", 60);
    assert_true(cdp_true(b, "document.querySelector('#scenario-name').textContent === "
                            "'<script>window.__pwned=1</script>'"));
    assert_true(cdp_true(b, "document.querySelector('#parties').textContent.includes("
                            "'<img src=x onerror=window.__pwned=4>')"));
    choose(b, "select.seat-kind[data-party=\"a\"]", "person");
    choose(b, "select.seat-kind[data-party=\"b\"]", "conceder");
    click(b, "#create-session");
    wait_for(b, "document.querySelector('.open-seat')", 30);
    click(b, ".open-seat");
    wait_for(b, "document.querySelector('#btn-offer')", 30);
    wait_for(b, "/^[0-9.]+$/.test(document.querySelector('#own-utility').textContent)", 20);
    shot(b, "serve-upload-markup-labels");
    assert_true(cdp_true(b, "typeof window.__pwned === 'undefined'"));
    assert_true(cdp_true(b, "document.querySelectorAll('script').length === 1"));
    assert_true(cdp_true(
        b,
        "document.querySelectorAll('main img:not(.plot), main svg, main b, main i').length === 0"));
    no_page_errors(b);
    cdp_stop(b);
    assert_int_equal(served_stop(&s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_plays_boulware_on_a_genius_scenario),
        cmocka_unit_test(test_two_browsers_negotiate_to_an_agreement),
        cmocka_unit_test(test_person_mediates_the_seed_case),
        cmocka_unit_test(test_bad_uploads_show_the_cli_error),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
