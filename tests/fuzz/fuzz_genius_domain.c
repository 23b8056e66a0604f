/* fuzz_genius_domain.c: libFuzzer target for the GENIUS domain reader: the input is a domain file,
 * loaded with a profile that fits any domain, then with a linear profile written from what loaded.
 */
#define _DEFAULT_SOURCE
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"

/* A nonlinear profile without terms names no issue: every domain accepts it. */
static const char flat_profile[] = "<utility_space type=\"nonlinear\"><utility maxutility=\"1\">"
                                   "<ufun aggregation=\"sum\"/></utility></utility_space>\n";

static void add_attr(xmlNodePtr node, const char *name, const char *value)
{
    FUZZ_CHECK(xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value) != NULL);
}

static char *option_label(const truce_scenario *s, size_t i, uint32_t k)
{
    int len = truce_issue_option_label(s, i, k, NULL, 0);
    FUZZ_CHECK(len >= 0);
    char *label = malloc((size_t)len + 1);
    FUZZ_CHECK(label != NULL);
    truce_issue_option_label(s, i, k, label, (size_t)len + 1);
    return label;
}

static void save(xmlDocPtr doc, const char *path)
{
    FUZZ_CHECK(xmlSaveFormatFileEnc(path, doc, "UTF-8", 1) >= 0);
    xmlFreeDoc(doc);
}

/* The loaded domain written again with libxml2 (which escapes names however
 * odd), issues numbered 1..n, and a linear profile for it: equal weights
 * 1/n; option k of a discrete issue with n options evaluates k + 1 (so
 * (k + 1) / n after GENIUS's normalisation); integer and real issues
 * evaluate 0.5 everywhere. */
static void write_linear_scenario(const truce_scenario *s, const char *domain_path,
                                  const char *profile_path)
{
    size_t ni = truce_scenario_issue_count(s);
    xmlDocPtr ddoc = xmlNewDoc((const xmlChar *)"1.0"), pdoc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr droot = xmlNewNode(NULL, (const xmlChar *)"negotiation_template");
    xmlNodePtr proot = xmlNewNode(NULL, (const xmlChar *)"utility_space");
    FUZZ_CHECK(ddoc && pdoc && droot && proot);
    xmlDocSetRootElement(ddoc, droot);
    xmlDocSetRootElement(pdoc, proot);
    xmlNodePtr dspace = xmlNewChild(droot, NULL, (const xmlChar *)"utility_space", NULL);
    xmlNodePtr dobj = xmlNewChild(dspace, NULL, (const xmlChar *)"objective", NULL);
    xmlNodePtr pobj = xmlNewChild(proot, NULL, (const xmlChar *)"objective", NULL);
    char buf[64];
    for (size_t i = 0; i < ni; i++) {
        xmlNodePtr dis = xmlNewChild(dobj, NULL, (const xmlChar *)"issue", NULL);
        xmlNodePtr pis = xmlNewChild(pobj, NULL, (const xmlChar *)"issue", NULL);
        snprintf(buf, sizeof buf, "%zu", i + 1);
        add_attr(dis, "index", buf);
        add_attr(pis, "index", buf);
        add_attr(dis, "name", truce_issue_name(s, i));
        add_attr(pis, "name", truce_issue_name(s, i));
        int kind = truce_issue_kind_of(s, i);
        uint32_t n = truce_issue_option_count(s, i);
        if (kind == TRUCE_ISSUE_DISCRETE) {
            add_attr(dis, "type", "discrete");
            add_attr(pis, "type", "discrete");
            for (uint32_t k = 0; k < n; k++) {
                char *label = option_label(s, i, k);
                xmlNodePtr item = xmlNewChild(dis, NULL, (const xmlChar *)"item", NULL);
                add_attr(item, "value", label);
                item = xmlNewChild(pis, NULL, (const xmlChar *)"item", NULL);
                add_attr(item, "value", label);
                free(label);
                snprintf(buf, sizeof buf, "%u", k + 1);
                add_attr(item, "evaluation", buf);
            }
            continue;
        }
        const char *type = kind == TRUCE_ISSUE_INTEGER ? "integer" : "real";
        add_attr(dis, "type", type);
        add_attr(pis, "type", type);
        char *lower = option_label(s, i, 0), *upper = option_label(s, i, n - 1);
        add_attr(dis, "lowerbound", lower);
        add_attr(dis, "upperbound", upper);
        free(lower);
        free(upper);
        xmlNodePtr ev = xmlNewChild(pis, NULL, (const xmlChar *)"evaluator", NULL);
        add_attr(ev, "ftype", "linear");
        if (kind == TRUCE_ISSUE_INTEGER) {
            add_attr(ev, "slope", "0");
            add_attr(ev, "offset", "0.5");
        } else {
            add_attr(ev, "parameter0", "0.5");
            add_attr(ev, "parameter1", "0");
        }
    }
    for (size_t i = 0; i < ni; i++) {
        xmlNodePtr w = xmlNewChild(pobj, NULL, (const xmlChar *)"weight", NULL);
        snprintf(buf, sizeof buf, "%zu", i + 1);
        add_attr(w, "index", buf);
        snprintf(buf, sizeof buf, "%.17g", 1.0 / (double)ni);
        add_attr(w, "value", buf);
    }
    save(ddoc, domain_path);
    save(pdoc, profile_path);
}

/* The same issues with a linear profile whose utilities are known. */
static void check_with_linear_profile(const truce_scenario *s)
{
    char domain[512], profile[512];
    fuzz_path("linear-domain.xml", domain, sizeof domain);
    fuzz_path("linear.xml", profile, sizeof profile);
    write_linear_scenario(s, domain, profile);
    truce_load_options opts = fuzz_load_options();
    truce_scenario *linear = NULL;
    truce_error err;
    const char *profiles[] = {profile};
    int rc = truce_scenario_load_genius(&linear, domain, profiles, 1, &opts, &err);
    if (rc)
        fprintf(stderr, "fuzz_genius_domain: the domain written again is refused: %s\n",
                err.message);
    FUZZ_CHECK(rc == 0);
    size_t ni = truce_scenario_issue_count(s);
    FUZZ_CHECK(truce_scenario_issue_count(linear) == ni);
    for (size_t i = 0; i < ni; i++)
        FUZZ_CHECK(truce_issue_option_count(linear, i) == truce_issue_option_count(s, i));
    uint32_t *outcome = malloc(ni * sizeof *outcome);
    FUZZ_CHECK(outcome != NULL);
    for (int x = 0; x < FUZZ_PICKED_OUTCOMES; x++) {
        fuzz_pick_outcome(s, x, outcome);
        double expected = 0;
        for (size_t i = 0; i < ni; i++) {
            uint32_t n = truce_issue_option_count(s, i);
            double e = truce_issue_kind_of(s, i) == TRUCE_ISSUE_DISCRETE
                           ? (double)(outcome[i] + 1) / (double)n
                           : 0.5;
            expected += e / (double)ni;
        }
        FUZZ_CHECK(fabs(truce_utility(linear, 0, outcome) - fmin(expected, 1)) <= 1e-9);
    }
    free(outcome);
    fuzz_check_genius_round_trip(linear);
    truce_scenario_free(linear);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char domain[512], profile[512];
    fuzz_path("domain.xml", domain, sizeof domain);
    fuzz_path("flat.xml", profile, sizeof profile);
    fuzz_write(domain, data, size);
    fuzz_write(profile, flat_profile, sizeof flat_profile - 1);
    truce_load_options opts = fuzz_load_options();
    truce_scenario *s = NULL;
    truce_error err;
    const char *profiles[] = {profile};
    int rc = truce_scenario_load_genius(&s, domain, profiles, 1, &opts, &err);
    if (fuzz_verbose())
        fprintf(stderr, "  %s\n", rc ? err.message : "loaded");
    if (rc) {
        fuzz_check_refusal(rc, s, &err);
        return 0;
    }
    fuzz_check_scenario(s, 0);
    fuzz_check_genius_round_trip(s);
    check_with_linear_profile(s);
    truce_scenario_free(s);
    return 0;
}
