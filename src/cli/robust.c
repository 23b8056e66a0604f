/* robust.c: `truce robust`: how sure the conclusions are when the numbers
 * are uncertain (Monte Carlo over the scenario's uncertain numbers), readable
 * or as JSON, with progress on a terminal. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

static int progress(uint64_t done, uint64_t total, double seconds, void *payload)
{
    (void)payload;
    fprintf(stderr, "\rrobust: %llu of %llu samples (%.0f%%), %.1f s", (unsigned long long)done,
            (unsigned long long)total, 100.0 * (double)done / (double)total, seconds);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    return 0;
}

static double num(json_t *o, const char *k)
{
    return json_real_value(json_object_get(o, k));
}

static void print_p(json_t *p)
{
    printf("%.3f ± %.3f", num(p, "p"), num(p, "se"));
}

static void print_distribution(json_t *d)
{
    if (!json_is_object(d)) {
        printf("(none)");
        return;
    }
    json_t *q = json_object_get(d, "quantiles");
    printf("mean %+.3f ± %.3f, 5%% %+.3f, median %+.3f, 95%% %+.3f, P(> 0) %.3f", num(d, "mean"),
           num(d, "se"), num(q, "0.05"), num(q, "0.50"), num(q, "0.95"),
           num(json_object_get(d, "positive"), "p"));
}

static void print_outcome(json_t *deal)
{
    const char *key;
    json_t *v;
    int first = 1;
    json_object_foreach(json_object_get(deal, "outcome"), key, v)
    {
        printf("%s%s=%s", first ? "" : ", ", key, json_string_value(v));
        first = 0;
    }
}

static void print_clauses(json_t *clauses, const char *indent)
{
    size_t i, k;
    json_t *c, *o;
    json_array_foreach(clauses, i, c)
    {
        printf("%s%-20s", indent, json_string_value(json_object_get(c, "issue")));
        json_array_foreach(json_object_get(c, "options"), k, o)
        {
            if (num(o, "p") > 0)
                printf(" %s %.3f", json_string_value(json_object_get(o, "option")), num(o, "p"));
        }
        printf("\n");
    }
}

static void print_point(json_t *pt, const char *name)
{
    json_t *central = json_object_get(pt, "central");
    printf("\n%s at central values: ", name);
    if (json_is_null(central))
        printf("none");
    else
        print_outcome(central);
    printf("\n  P(exists) ");
    print_p(json_object_get(pt, "exists"));
    printf(", P(the same as at central values) ");
    print_p(json_object_get(pt, "same_as_central"));
    printf("\n  probability of each option of each clause:\n");
    print_clauses(json_object_get(pt, "clauses"), "    ");
}

/* Which constraint alone empties the zone, and how often. */
static void print_emptied(json_t *z)
{
    size_t k;
    json_t *e;
    printf("\n  what empties it (relaxing it alone opens the zone):\n");
    json_array_foreach(json_object_get(z, "emptied_by"), k, e)
    {
        char label[400];
        const char *party = json_string_value(json_object_get(e, "party"));
        if (!strcmp(json_string_value(json_object_get(e, "kind")), "reservation"))
            snprintf(label, sizeof label, "%s's reservation value", party);
        else
            snprintf(label, sizeof label, "%s's hard condition '%s'", party,
                     json_string_value(json_object_get(e, "id")));
        printf("    %-44s ", label);
        print_p(e);
        printf("\n");
    }
    printf("    %-44s ", "none alone (several at once)");
    print_p(json_object_get(z, "jointly"));
    printf("\n");
}

static void print_report(json_t *doc, size_t top)
{
    printf("Robustness of %s: %lld samples (seed %lld), %zu uncertain numbers\n",
           json_string_value(json_object_get(doc, "scenario")),
           (long long)json_integer_value(json_object_get(doc, "samples")),
           (long long)json_integer_value(json_object_get(doc, "seed")),
           json_array_size(json_object_get(doc, "uncertain")));
    json_t *z = json_object_get(doc, "zone");
    const char *rule = json_string_value(json_object_get(z, "decision_rule"));
    printf("\nZone of agreement%s%s%s: %s at central values",
           rule ? " under the decision rule (" : "", rule ? rule : "", rule ? ")" : "",
           json_is_true(json_object_get(z, "central_open")) ? "open" : "EMPTY");
    if (json_is_real(json_object_get(z, "central_margin")))
        printf(" (margin %+.3f)", num(z, "central_margin"));
    printf("\n  P(open) ");
    print_p(json_object_get(z, "open"));
    printf(rule ? "\n  zone margin (the best outcome's margin under the rule: the smaller of the "
                  "ratifiers' smallest gain and a winning set's smallest gain): "
                : "\n  zone margin (the best deal's smallest gain over a reservation value): ");
    print_distribution(json_object_get(z, "margin"));
    if (rule)
        printf("\n"); /* no blockers are sought under a rule */
    else
        print_emptied(z);
    size_t k;
    print_point(json_object_get(doc, "nash"), rule ? "Nash point under the rule" : "Nash point");
    print_point(json_object_get(doc, "kalai_smorodinsky"),
                rule ? "Kalai-Smorodinsky point under the rule" : "Kalai-Smorodinsky point");
    json_t *med = json_object_get(doc, "mediation");
    if (med) {
        printf("\nMediated agreement at central values: ");
        if (json_is_null(json_object_get(med, "central")))
            printf("none (the talks end without agreement)");
        else
            print_outcome(json_object_get(med, "central"));
        printf("\n  P(agreement) ");
        print_p(json_object_get(med, "agreement"));
        printf(", P(the same agreement) ");
        print_p(json_object_get(med, "same_as_central"));
        printf("\n  probability of each option of each clause of the agreement:\n");
        print_clauses(json_object_get(med, "clauses"), "    ");
    }
    json_t *adv = json_object_get(doc, "advice");
    if (adv) {
        printf("\nAdvice for %s, acceptable to ", json_string_value(json_object_get(adv, "party")));
        json_t *n;
        json_array_foreach(json_object_get(adv, "acceptable_to"), k, n)
        {
            printf("%s%s", k ? ", " : "", json_string_value(n));
        }
        json_t *central = json_object_get(adv, "central");
        if (json_is_null(central)) {
            printf(": none at central values\n");
        } else {
            printf("\n  at central values: ");
            print_outcome(central);
            printf("\n  P(acceptable to all of them) ");
            print_p(json_object_get(central, "acceptable"));
            printf("\n");
            json_t *m;
            json_array_foreach(json_object_get(central, "margins"), k, m)
            {
                printf("  margin of %-10s ", json_string_value(json_object_get(m, "party")));
                print_distribution(m);
                printf("\n");
            }
        }
        json_t *robust = json_object_get(adv, "robust");
        printf("  robust advice (acceptable with probability >= %.2f): ", num(adv, "level"));
        if (!robust || json_is_null(robust)) {
            printf("none\n");
        } else {
            print_outcome(robust);
            printf("\n    P(acceptable) ");
            print_p(json_object_get(robust, "acceptable"));
            printf(", expected utility for %s %.3f%s\n",
                   json_string_value(json_object_get(adv, "party")),
                   num(robust, "expected_utility"),
                   json_is_true(json_object_get(robust, "same_as_central"))
                       ? " (the same as the advice at central values)"
                       : "");
        }
    }
    json_t *flips = json_object_get(doc, "what_flips");
    if (json_array_size(flips))
        printf("\nWhat flips it (each number alone; P(flip) under its distribution, "
               "first-order share of variance):\n");
    json_t *c;
    json_array_foreach(flips, k, c)
    {
        printf("  %s:\n", json_string_value(json_object_get(c, "text")));
        size_t q;
        json_t *row;
        size_t shown = 0;
        json_array_foreach(json_object_get(c, "numbers"), q, row)
        {
            double p = num(row, "flip_probability"), s1 = num(row, "first_order");
            if (shown >= top || (p <= 0 && s1 < 0.01))
                break;
            printf("    %zu. %-44s P(flip) %.3f  first-order %.3f", ++shown,
                   json_string_value(json_object_get(row, "text")), p, s1);
            json_t *says = json_object_get(row, "says");
            if (json_is_string(says) && p > 0)
                printf("\n       %s", json_string_value(says));
            printf("\n");
        }
        if (!shown)
            printf("    nothing flips it\n");
    }
}

int cmd_robust(int argc, char **argv)
{
    truce_robust_options o = TRUCE_ROBUST_OPTIONS_INIT;
    truce_mediation_options mo = TRUCE_MEDIATION_OPTIONS_INIT;
    int mediation_given = 0; /* --strategy, --responders or --agenda */
    truce_load_options lo = TRUCE_LOAD_OPTIONS_INIT;
    int json = 0;
    const char *advise = NULL;
    uint64_t top = 8;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n_paths = 0;
    if (!paths)
        return cli_fail("robust", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *v, *option = argv[i];
        uint64_t n;
        double d;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf(
                "usage: truce robust [--samples N] [--seed S] [--threads T] [--json] [--time T]\n"
                "                    [--advise P:Q[,R...]] [--level L] [--mediate]\n"
                "                    [--strategy S] [--responders R] [--agenda M]\n"
                "                    [--no-sensitivity] [--top K] [--max-outcomes N] SCENARIO\n\n"
                "How sure are the conclusions when the numbers are guesses? Draws the\n"
                "scenario's uncertain numbers (intervals, distributions, 'uncertainty: x'\n"
                "widenings and credibilities of hard conditions: docs/scenario-format.md)\n"
                "N times (default 10000) and solves each sample exactly: the probability\n"
                "that the zone of agreement is open and which hard condition or reservation\n"
                "value empties it; the probability of each option of each clause of the\n"
                "Nash and Kalai-Smorodinsky points (and, with --mediate, of the mediated\n"
                "agreement, by truce mediate's defaults or its --strategy informed|\n"
                "uninformed, --responders truthful|strategic|exaggerate|anchor and\n"
                "--agenda ignore|follow|package); with --advise P:Q, the probability that the advice for P is\n"
                "acceptable to Q, Q's margin, and the robust advice: P's best deal that Q\n"
                "accepts with probability at least L (default 0.9); and what flips each\n"
                "conclusion (each number swept alone, the value at which it flips). Every\n"
                "probability carries its Monte Carlo standard error. The same --seed gives\n"
                "the same report to the byte, with any --threads (default: every core).\n"
                "Under a decision rule (docs/scenario-format.md#decision-rules) each sample's\n"
                "zone and points are the rule's, found by enumerating every outcome: at\n"
                "most --max-outcomes (default 1e6, also the bound of the advice's walk).\n"
                "docs/robustness.md.\n\n"
                "Exit status: 0 done, 1 bad input, 2 bad usage.\n");
            free(paths);
            return EXIT_OK;
        }
        int bad = 0;
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--mediate")) {
            o.mediate = 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--strategy"))) {
            mediation_given = 1;
            mo.strategy = !strcmp(v, "informed")     ? TRUCE_MEDIATOR_INFORMED
                          : !strcmp(v, "uninformed") ? TRUCE_MEDIATOR_UNINFORMED
                                                     : -1;
            bad = mo.strategy < 0;
        } else if ((v = cli_option_value(argc, argv, &i, "--responders"))) {
            mediation_given = 1;
            mo.responder = !strcmp(v, "truthful")     ? TRUCE_RESPONDER_TRUTHFUL
                           : !strcmp(v, "strategic")  ? TRUCE_RESPONDER_STRATEGIC
                           : !strcmp(v, "exaggerate") ? TRUCE_RESPONDER_EXAGGERATE
                           : !strcmp(v, "anchor")     ? TRUCE_RESPONDER_ANCHOR
                                                      : -1;
            bad = mo.responder < 0;
        } else if ((v = cli_option_value(argc, argv, &i, "--agenda"))) {
            mediation_given = 1;
            mo.agenda = !strcmp(v, "ignore")    ? TRUCE_AGENDA_IGNORE
                        : !strcmp(v, "follow")  ? TRUCE_AGENDA_FOLLOW
                        : !strcmp(v, "package") ? TRUCE_AGENDA_PACKAGE
                                                : -1;
            bad = mo.agenda < 0;
        } else if (!strcmp(argv[i], "--no-sensitivity")) {
            o.sensitivity = 0;
        } else if ((v = cli_option_value(argc, argv, &i, "--samples"))) {
            bad = cli_parse_u64(v, &n) || n < 1 || n > 100000000;
            o.samples = n;
        } else if ((v = cli_option_value(argc, argv, &i, "--seed"))) {
            bad = cli_parse_u64(v, &o.seed);
        } else if ((v = cli_option_value(argc, argv, &i, "--threads"))) {
            bad = cli_parse_u64(v, &n) || n > 256;
            o.threads = (unsigned)n;
        } else if ((v = cli_option_value(argc, argv, &i, "--top"))) {
            bad = cli_parse_u64(v, &top);
        } else if ((v = cli_option_value(argc, argv, &i, "--time"))) {
            bad = cli_parse_double(v, &d) || d < 0 || d > 1;
            o.time = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--level"))) {
            bad = cli_parse_double(v, &d) || !(d > 0 && d <= 1);
            o.level = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--max-outcomes"))) {
            bad = cli_parse_double(v, &d) || d < 1;
            o.max_outcomes = d;
        } else if ((v = cli_option_value(argc, argv, &i, "--advise"))) {
            advise = v;
            bad = !strchr(v, ':');
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(paths);
            return cli_usage("robust", "unknown option '%s'", argv[i]);
        } else {
            paths[n_paths++] = argv[i];
        }
        if (bad) {
            free(paths);
            return cli_usage("robust", "bad value '%s' for %s", v, option);
        }
    }
    if (mediation_given && !o.mediate) {
        free(paths);
        return cli_usage("robust", "--strategy, --responders and --agenda need --mediate");
    }
    if (mediation_given)
        o.mediation = &mo;
    truce_scenario *s = NULL;
    int rc = cli_load_scenario("robust", &s, paths, n_paths, &lo);
    free(paths);
    if (rc)
        return rc;
    size_t acc[256], n_acc = 0;
    if (advise) {
        char *text = strdup(advise), *colon = text ? strchr(text, ':') : NULL;
        if (!colon) {
            free(text);
            truce_scenario_free(s);
            return cli_fail("robust", "out of memory");
        }
        *colon = '\0';
        int a = truce_party_find(s, text);
        rc = a < 0 ? cli_usage("robust", "unknown party '%s' in --advise", text) : 0;
        o.advise_party = a;
        for (char *tok = colon + 1; rc == 0 && tok;) {
            char *comma = strchr(tok, ',');
            if (comma)
                *comma = '\0';
            int b = truce_party_find(s, tok);
            if (b < 0)
                rc = cli_usage("robust", "unknown party '%s' in --advise", tok);
            else if (n_acc < 256)
                acc[n_acc++] = (size_t)b;
            tok = comma ? comma + 1 : NULL;
        }
        free(text);
        o.acceptable_to = acc;
        o.n_acceptable = n_acc;
        if (rc) {
            truce_scenario_free(s);
            return rc;
        }
    }
    if (isatty(STDERR_FILENO))
        o.progress = progress;
    truce_robustness *r = NULL;
    truce_error err;
    if (truce_robust(&r, s, &o, &err)) {
        truce_scenario_free(s);
        /* a scenario the samples cannot follow (a coalition as one bargainer) is bad input,
         * not bad usage */
        return err.code == TRUCE_EINVAL && err.file[0] == '\0' && strcmp(err.field, "coalitions")
                   ? cli_usage("robust", "%s", err.message)
                   : cli_fail_error("robust", &err);
    }
    char *text = NULL;
    if (truce_robust_report(r, &text, &err)) {
        rc = cli_fail_error("robust", &err);
    } else if (json) {
        puts(text);
    } else {
        json_t *doc = json_loads(text, 0, NULL);
        print_report(doc, (size_t)top);
        json_decref(doc);
    }
    truce_free(text);
    truce_robust_free(r);
    truce_scenario_free(s);
    if (rc)
        return rc;
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_INPUT;
}
