/* genius_read.c: reading GENIUS domain and profile XML files (ANAC format)
 * into a scenario, with errors that name the file, line and problem. */
#include <dirent.h>
#include <float.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/limits.h"
#include "../core/names.h"
#include "../core/scenario.h"
#include "../core/utf8.h"
#include "genius.h"
#include "xmlutil.h"

/* Name of a file without folders and without its extension, in the arena. */
static const char *base_name(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    /* a file name can hold any bytes: names go into JSON, which takes only UTF-8 (a party
     * named from a Latin-1 file name vanished from --json output) */
    utf8_repair(buf);
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
    return arena_strdup(a, buf);
}

static const char *issue_type(xmlNodePtr node, char *buf, size_t size)
{
    const char *t = xml_attr(node, "type", buf, size);
    if (!t)
        t = xml_attr(node, "vtype", buf, size);
    if (!t)
        t = xml_attr(node, "etype", buf, size);
    return t;
}

static int parse_kind(const char *t, xmlNodePtr node, const char *path, truce_error *err,
                      truce_issue_kind *out)
{
    if (!t) {
        *out = xml_child(node, "item") ? TRUCE_ISSUE_DISCRETE : TRUCE_ISSUE_INTEGER;
        if (*out == TRUCE_ISSUE_INTEGER && !xmlHasProp(node, (const xmlChar *)"lowerbound"))
            return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                             "<issue> has no type and no items");
        return 0;
    }
    if (strcmp(t, "discrete") == 0)
        *out = TRUCE_ISSUE_DISCRETE;
    else if (strcmp(t, "integer") == 0)
        *out = TRUCE_ISSUE_INTEGER;
    else if (strcmp(t, "real") == 0)
        *out = TRUCE_ISSUE_REAL;
    else
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "<issue> has unknown type \"%s\" (expected discrete, integer or real)", t);
    return 0;
}

/* Bounds of an integer or real issue: attributes on the issue, or on a
 * <range> child (older files). */
static xmlNodePtr bounds_node(xmlNodePtr node)
{
    if (xmlHasProp(node, (const xmlChar *)"lowerbound"))
        return node;
    xmlNodePtr r = xml_child(node, "range");
    return r ? r : node;
}

/* Elements named `tag` below node, in document order, descending through
 * nested <objective> elements as GENIUS's loaders do. */
static void collect_tagged(xmlNodePtr node, const char *tag, xmlNodePtr *found, size_t *n,
                           size_t cap)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (xml_is(c, tag)) {
            if (*n < cap)
                found[*n] = c;
            (*n)++;
        } else if (xml_is(c, "objective")) {
            collect_tagged(c, tag, found, n, cap);
        }
    }
}

/* A name must be there and not too long: an empty issue name made JSON outcomes lose an
 * issue and convert write YAML truce refuses; a name built from entities ran to hundreds of
 * megabytes (entities are refused now, max_name_bytes bounds the rest). `what` and `owner`
 * say whose name it is ("an option of issue", "budget"). */
static int check_name(const char *path, int line, const char *name, const load_limits *lim,
                      const char *what, const char *owner, truce_error *err)
{
    if (!*name)
        return error_set(err, TRUCE_EINVAL, path, line, NULL, "%s%s%s%s has an empty name", what,
                         owner ? " '" : "", owner ? owner : "", owner ? "'" : "");
    size_t len = strlen(name);
    unsigned long cp = name_unprintable(name, len);
    if (cp)
        return error_set(err, TRUCE_EINVAL, path, line, NULL,
                         "%s%s%s%s: character U+%04lX is not allowed in a name (the native format "
                         "and one-line messages print only tab, newline and visible characters)",
                         what, owner ? " '" : "", owner ? owner : "", owner ? "'" : "",
                         cp == 0x110000 ? 0 : cp);
    if (len > lim->l.max_name_bytes)
        return limit_exceeded(err, path, line, "max_name_bytes", lim->l.max_name_bytes,
                              "%s%s%s%s has a name of %zu bytes", what, owner ? " '" : "",
                              owner ? owner : "", owner ? "'" : "", len);
    return 0;
}

/* The first of n names (in order) that repeats an earlier one: *found, and both positions.
 * TRUCE_ENOMEM or 0. */
static int repeated(const mem *m, const char *const *names, size_t n, size_t *earlier,
                    size_t *repeat, int *found)
{
    name_index x;
    if (name_index_build(&x, m, names, n))
        return TRUCE_ENOMEM;
    *found = name_index_repeat(&x, earlier, repeat);
    name_index_free(&x, m);
    return 0;
}

static int load_discrete_issue(truce_scenario *s, issue *is, xmlNodePtr node, const char *path,
                               const load_limits *lim, truce_error *err)
{
    size_t n = 0;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (xml_is(c, "item"))
            n++;
    if (n == 0)
        return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                         "issue '%s' has no <item> options", is->name);
    if (n > lim->l.max_options)
        return limit_exceeded(err, path, xml_line(node), lim->options_name, lim->l.max_options,
                              "issue '%s' has %zu options", is->name, n);
    is->labels = arena_array(&s->a, n, sizeof *is->labels);
    if (!is->labels)
        return error_nomem(err);
    uint32_t k = 0;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!xml_is(c, "item"))
            continue;
        xmlChar *v = xmlGetProp(c, (const xmlChar *)"value");
        if (!v)
            return error_set(err, TRUCE_EPARSE, path, xml_line(c), NULL,
                             "issue '%s': <item> has no attribute 'value'", is->name);
        int rc = check_name(path, xml_line(c), (const char *)v, lim, "an option of issue",
                            is->name, err);
        if (!rc && !(is->labels[k] = arena_strdup(&s->a, (const char *)v)))
            rc = error_nomem(err);
        xmlFree(v);
        if (rc)
            return rc;
        k++;
    }
    /* GENIUS keeps a repeated value as a second, identical value (the same bids twice
     * over); one option stands for both here: the first keeps its place, the later ones go
     * (found through a sorted index: a scan per value was quadratic) */
    name_index x;
    if (name_index_build(&x, &s->a.m, (const char *const *)is->labels, k))
        return error_nomem(err);
    const char *head = NULL;
    for (size_t j = 0; j < k; j++) {
        size_t at = x.order[j];
        const char *label = is->labels[at];
        if (head && strcmp(head, label) == 0)
            is->labels[at] = NULL; /* positions ascend within a run: the run's first stays */
        else
            head = label;
    }
    name_index_free(&x, &s->a.m);
    uint32_t kept = 0;
    for (uint32_t j = 0; j < k; j++)
        if (is->labels[j])
            is->labels[kept++] = is->labels[j];
    is->n_options = kept;
    return 0;
}

static int load_range_issue(issue *is, xmlNodePtr node, const char *path, const load_limits *lim,
                            truce_error *err)
{
    xmlNodePtr b = bounds_node(node);
    int rc;
    if (is->kind == TRUCE_ISSUE_INTEGER) {
        if ((rc = xml_attr_int(b, "lowerbound", &is->int_lower, path, err)) ||
            (rc = xml_attr_int(b, "upperbound", &is->int_upper, path, err)))
            return rc;
        if (is->int_upper < is->int_lower)
            return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                             "issue '%s': upperbound %lld is below lowerbound %lld", is->name,
                             (long long)is->int_upper, (long long)is->int_lower);
        /* in unsigned arithmetic: the width of [INT64_MIN, INT64_MAX] does not
         * fit in int64_t, and width + 1 can wrap to 0 */
        uint64_t width = (uint64_t)is->int_upper - (uint64_t)is->int_lower;
        if (width >= lim->l.max_options) {
            char count[32];
            if (width == UINT64_MAX)
                snprintf(count, sizeof count, "18446744073709551616");
            else
                snprintf(count, sizeof count, "%llu", (unsigned long long)width + 1);
            return limit_exceeded(err, path, xml_line(node), lim->options_name, lim->l.max_options,
                                  "issue '%s' has %s values", is->name, count);
        }
        is->n_options = (uint32_t)width + 1;
        return 0;
    }
    if ((rc = xml_attr_double(b, "lowerbound", &is->real_lower, path, err)) ||
        (rc = xml_attr_double(b, "upperbound", &is->real_upper, path, err)))
        return rc;
    if (!(is->real_upper >= is->real_lower))
        return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                         "issue '%s': upperbound %g is below lowerbound %g", is->name,
                         is->real_upper, is->real_lower);
    /* an infinite width would make the steps NaN (inf * 0) */
    if (!isfinite(is->real_upper - is->real_lower))
        return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                         "issue '%s': the range [%g, %g] is too wide to divide into steps",
                         is->name, is->real_lower, is->real_upper);
    if (lim->real_steps > lim->l.max_options)
        return limit_exceeded(err, path, xml_line(node), lim->options_name, lim->l.max_options,
                              "real issue '%s' has %u steps", is->name, lim->real_steps);
    is->n_options = is->real_upper > is->real_lower ? lim->real_steps : 1;
    return 0;
}

static int load_domain(truce_scenario *s, xmlDocPtr doc, const char *path, const load_limits *lim,
                       truce_error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!xml_is(root, "negotiation_template"))
        return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                         "not a GENIUS domain: root element is <%s>, expected "
                         "<negotiation_template>",
                         (const char *)root->name);
    xmlNodePtr space = xml_child(root, "utility_space");
    xmlNodePtr objective = space ? xml_child(space, "objective") : NULL;
    if (!objective)
        return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                         "domain has no <utility_space><objective> element");
    size_t n = 0;
    collect_tagged(objective, "issue", NULL, &n, 0);
    if (n == 0)
        return error_set(err, TRUCE_EINVAL, path, xml_line(objective), NULL,
                         "domain has no issues");
    if (n > lim->l.max_issues)
        return limit_exceeded(err, path, xml_line(objective), "max_issues", lim->l.max_issues,
                              "the domain has %zu issues", n);
    xmlNodePtr *nodes = malloc(n * sizeof *nodes);
    if (!nodes)
        return error_nomem(err);
    size_t got = 0;
    collect_tagged(objective, "issue", nodes, &got, n);
    s->issues = arena_array(&s->a, n, sizeof *s->issues);
    int rc = s->issues ? 0 : error_nomem(err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        issue *is = &s->issues[i];
        xmlNodePtr node = nodes[i];
        int64_t index;
        char type[64];
        if ((rc = xml_attr_int(node, "index", &index, path, err)))
            break;
        if (index < 0 || index > 1000000000) {
            rc = error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                           "<issue> index %lld is out of range", (long long)index);
            break;
        }
        is->genius_index = (int)index;
        for (size_t j = 0; j < i; j++)
            if (s->issues[j].genius_index == is->genius_index)
                rc = error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                               "two issues have index %d", is->genius_index);
        if (rc)
            break;
        /* the whole name, however long: a fixed buffer would cut it */
        xmlChar *name = xmlGetProp(node, (const xmlChar *)"name");
        if (!name) {
            rc = error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                           "<issue index=\"%d\"> has no name", is->genius_index);
            break;
        }
        char what[48];
        snprintf(what, sizeof what, "<issue index=\"%d\">", is->genius_index);
        rc = check_name(path, xml_line(node), (const char *)name, lim, what, NULL, err);
        if (!rc && !(is->name = arena_strdup(&s->a, (const char *)name)))
            rc = error_nomem(err);
        xmlFree(name);
        if (rc)
            break;
        if ((rc = parse_kind(issue_type(node, type, sizeof type), node, path, err, &is->kind)))
            break;
        if (is->kind == TRUCE_ISSUE_DISCRETE)
            rc = load_discrete_issue(s, is, node, path, lim, err);
        else
            rc = load_range_issue(is, node, path, lim, err);
    }
    if (rc == 0) {
        /* two issues of one name: outcomes keyed by issue name would lose one */
        const char **names = arena_array(&s->a, n, sizeof *names);
        size_t earlier, repeat;
        int found = 0;
        for (size_t i = 0; names && i < n; i++)
            names[i] = s->issues[i].name;
        if (!names || repeated(&s->a.m, names, n, &earlier, &repeat, &found))
            rc = error_nomem(err);
        else if (found)
            rc = error_set(err, TRUCE_EINVAL, path, xml_line(nodes[repeat]), NULL,
                           "two issues are named '%s' (lines %d and %d)", names[repeat],
                           xml_line(nodes[earlier]), xml_line(nodes[repeat]));
    }
    free(nodes);
    if (rc)
        return rc;
    s->n_issues = n;
    if ((rc = limit_total_options(s, lim, path, err)))
        return rc;
    if (scenario_index_options(s))
        return error_nomem(err);
    return 0;
}

static int issue_by_index(const truce_scenario *s, int64_t index)
{
    for (size_t i = 0; i < s->n_issues; i++)
        if (s->issues[i].genius_index == index)
            return (int)i;
    return -1;
}

/* <reservation> and <discount_factor>, looked up anywhere in the profile as
 * GENIUS's recursive loader does. */
static int load_reservation_discount(party *p, xmlNodePtr root, const char *path, truce_error *err)
{
    int rc;
    truce_error ignored;
    xmlNodePtr r = xml_is(root, "reservation") ? root : xml_find(root, "reservation");
    /* a value that is no number counts as none: GENIUS's loader catches the
     * exception and goes on without (the reservation value 0, the factor 1) */
    if (r && xml_attr_double(r, "value", &p->reservation, path, &ignored) == TRUCE_EPARSE)
        r = NULL;
    if (r) {
        if ((rc = xml_attr_double(r, "value", &p->reservation, path, err)))
            return rc;
        /* utilities lie in [0, 1], and so does a reservation value (the native format says
         * so too: one above 1 made convert write YAML truce refuses) */
        if (p->reservation < 0)
            return error_set(err, TRUCE_EINVAL, path, xml_line(r), NULL,
                             "reservation value %g is negative", p->reservation);
        if (p->reservation > 1)
            return error_set(err, TRUCE_EINVAL, path, xml_line(r), NULL,
                             "reservation value %g is above 1 (utilities lie in [0, 1])",
                             p->reservation);
        p->has_reservation = 1;
    }
    p->discount = 1;
    p->reservation = r ? p->reservation : 0;
    xmlNodePtr d = xml_find(root, "discount_factor");
    double unused;
    if (d && xml_attr_double(d, "value", &unused, path, &ignored) == TRUCE_EPARSE)
        d = NULL;
    if (d) {
        if ((rc = xml_attr_double(d, "value", &p->discount_written, path, err)))
            return rc;
        if (p->discount_written < 0)
            return error_set(err, TRUCE_EINVAL, path, xml_line(d), NULL,
                             "discount factor %g is negative", p->discount_written);
        p->has_discount = 1;
        /* AbstractUtilitySpace.validateDiscount: outside (0,1] means 1 */
        p->discount =
            (p->discount_written <= 0 || p->discount_written > 1) ? 1 : p->discount_written;
    }
    return 0;
}

/* As EvaluatorDiscrete.loadFromXML reads items: an item evaluated twice keeps
 * its last evaluation; an item without evaluation (or with "null") gives
 * none; an item the domain does not have is no option, but its evaluation
 * still counts in the largest one, which every value is divided by. */
static int load_discrete_evaluator(truce_scenario *s, const issue *is, evaluator *e,
                                   xmlNodePtr node, const char *path, truce_error *err)
{
    double *raw = arena_array(&s->a, is->n_options, sizeof *raw);
    char *seen = arena_array(&s->a, is->n_options, 1);
    if (!raw || !seen)
        return error_nomem(err);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!xml_is(c, "item"))
            continue;
        /* the whole value: domain labels are kept whole, however long */
        xmlChar *value = xmlGetProp(c, (const xmlChar *)"value");
        if (!value)
            return error_set(err, TRUCE_EPARSE, path, xml_line(c), NULL,
                             "issue '%s': <item> has no attribute 'value'", is->name);
        uint32_t k = 0;
        while (k < is->n_options && strcmp(is->labels[k], (const char *)value) != 0)
            k++;
        char given[32];
        if (!xml_attr(c, "evaluation", given, sizeof given) || !strcmp(given, "null")) {
            xmlFree(value);
            continue;
        }
        double v;
        int rc = xml_attr_double(c, "evaluation", &v, path, err);
        if (!rc && v < 0)
            rc = error_set(err, TRUCE_EINVAL, path, xml_line(c), NULL,
                           "issue '%s': item \"%.200s\" has a negative evaluation (%g)", is->name,
                           (const char *)value, v);
        if (!rc && k == is->n_options && v > e->extra_max) {
            e->extra_max = v;
            if (!(e->extra_label = arena_strdup(&s->a, (const char *)value)))
                rc = error_nomem(err);
        }
        xmlFree(value);
        if (rc)
            return rc;
        if (k < is->n_options) {
            raw[k] = v;
            seen[k] = 1;
        }
    }
    for (uint32_t k = 0; k < is->n_options; k++)
        if (!seen[k])
            return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                             "issue '%s': option \"%s\" has no evaluation", is->name,
                             is->labels[k]);
    e->raw = raw;
    return 0;
}

static int load_function(const issue *is, evaluator *e, xmlNodePtr ev, const char *path,
                         truce_error *err);

/* An <evaluator> with a function (ftype, parameter0...) instead of slope
 * and offset: how GENIUS versions before 10 wrote integer issues. */
static int legacy_integer(xmlNodePtr ev)
{
    return !xmlHasProp(ev, (const xmlChar *)"slope") &&
           !xmlHasProp(ev, (const xmlChar *)"offset") &&
           (xmlHasProp(ev, (const xmlChar *)"ftype") ||
            xmlHasProp(ev, (const xmlChar *)"parameter0"));
}

static int load_integer_evaluator(const issue *is, evaluator *e, xmlNodePtr node, const char *path,
                                  int legacy, truce_error *err)
{
    e->int_lower = is->int_lower;
    e->int_upper = is->int_upper;
    int rc;
    xmlNodePtr ev = xml_child(node, "evaluator");
    if (ev && legacy_integer(ev)) {
        if (!legacy)
            return error_set(err, TRUCE_EINVAL, path, xml_line(ev), NULL,
                             "integer issue '%s' has a legacy evaluator (a function with "
                             "parameters where GENIUS 10.4 wants slope and offset), which "
                             "GENIUS 10.4 refuses; --legacy (truce_load_options.legacy) reads "
                             "it as GENIUS's real evaluators do (docs/formats.md#legacy-formats)",
                             is->name);
        e->function = 1;
        return load_function(is, e, ev, path, err);
    }
    xmlNodePtr b = bounds_node(node);
    if (xmlHasProp(b, (const xmlChar *)"lowerbound") &&
        (rc = xml_attr_int(b, "lowerbound", &e->int_lower, path, err)))
        return rc;
    if (xmlHasProp(b, (const xmlChar *)"upperbound") &&
        (rc = xml_attr_int(b, "upperbound", &e->int_upper, path, err)))
        return rc;
    if (ev) {
        if ((rc = xml_attr_double(ev, "slope", &e->slope, path, err)) ||
            (rc = xml_attr_double(ev, "offset", &e->offset, path, err)))
            return rc;
    }
    return 0;
}

static int load_real_evaluator(const issue *is, evaluator *e, xmlNodePtr node, const char *path,
                               truce_error *err)
{
    e->real_lower = is->real_lower;
    e->real_upper = is->real_upper;
    xmlNodePtr r = xml_child(node, "range");
    int rc;
    if (r && ((rc = xml_attr_double(r, "lowerbound", &e->real_lower, path, err)) ||
              (rc = xml_attr_double(r, "upperbound", &e->real_upper, path, err))))
        return rc;
    xmlNodePtr ev = xml_child(node, "evaluator");
    if (!ev)
        return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                         "real issue '%s' has no <evaluator>", is->name);
    return load_function(is, e, ev, path, err);
}

/* EvaluatorReal's function: ftype and its parameters. */
static int load_function(const issue *is, evaluator *e, xmlNodePtr ev, const char *path,
                         truce_error *err)
{
    int rc;
    char ftype[64];
    if (!xml_attr(ev, "ftype", ftype, sizeof ftype))
        snprintf(ftype, sizeof ftype, "linear");
    static const char *const names[] = {"linear", "constant", "triangular",
                                        "triangular_variable_top"};
    static const int params[] = {2, 1, 3, 4};
    int f = -1;
    for (int j = 0; j < 4; j++)
        if (strcmp(ftype, names[j]) == 0)
            f = j;
    if (f < 0)
        return error_set(err, TRUCE_EPARSE, path, xml_line(ev), NULL,
                         "issue '%s': unknown evaluator ftype \"%s\"", is->name, ftype);
    e->real_ftype = f;
    for (int j = 0; j < params[f]; j++) {
        char attr[32];
        snprintf(attr, sizeof attr, "parameter%d", j);
        if ((rc = xml_attr_double(ev, attr, &e->param[j], path, err)))
            return rc;
    }
    /* EvaluatorReal returns the constant and the variable top unclamped, and
     * triangles with huge parameters divide inf by inf: refuse what would
     * take a utility out of [0,1] rather than pass it on */
    for (uint32_t k = 0; k < is->n_options; k++) {
        double v = evaluator_value(is, e, k);
        if (isnan(v))
            return error_set(err, TRUCE_EINVAL, path, xml_line(ev), NULL,
                             "issue '%s': the %s evaluator gives NaN at %g (parameters "
                             "too large)",
                             is->name, ftype, issue_option_value(is, k));
        if (!(v >= 0 && v <= 1))
            return error_set(err, TRUCE_EINVAL, path, xml_line(ev), NULL,
                             "issue '%s': the %s evaluator gives %g at %g, outside [0,1]", is->name,
                             ftype, v, issue_option_value(is, k));
    }
    return 0;
}

/* A <weight> of an issue; the weight of an objective (ANAC 2012's Fitness
 * weighs its root objective) or of no issue at all plays no part in GENIUS's
 * getUtility and is ignored; of two weights of one issue the last counts. */
static int load_weight(truce_scenario *s, evaluator *ev, char *has_weight, xmlNodePtr w,
                       const char *path, truce_error *err)
{
    int64_t index;
    double value;
    int rc;
    if ((rc = xml_attr_int(w, "index", &index, path, err)))
        return rc;
    int i = issue_by_index(s, index);
    if (i < 0)
        return 0;
    if ((rc = xml_attr_double(w, "value", &value, path, err)))
        return rc;
    if (value < 0)
        return error_set(err, TRUCE_EINVAL, path, xml_line(w), NULL,
                         "weight of issue '%s' is negative (%g)", s->issues[i].name, value);
    has_weight[i] = 1;
    ev[i].weight = value;
    return 0;
}

static int load_linear_profile(truce_scenario *s, party *p, xmlNodePtr objective, const char *path,
                               int legacy, truce_error *err)
{
    evaluator *ev = arena_array(&s->a, s->n_issues, sizeof *ev);
    char *has_eval = arena_array(&s->a, s->n_issues, 1);
    char *has_weight = arena_array(&s->a, s->n_issues, 1);
    if (!ev || !has_eval || !has_weight)
        return error_nomem(err);
    size_t n = 0;
    collect_tagged(objective, "issue", NULL, &n, 0);
    xmlNodePtr *nodes = malloc((n ? n : 1) * sizeof *nodes);
    if (!nodes)
        return error_nomem(err);
    size_t got = 0;
    collect_tagged(objective, "issue", nodes, &got, n);
    int rc = 0;
    for (size_t j = 0; j < n && rc == 0; j++) {
        xmlNodePtr node = nodes[j];
        int64_t index;
        if ((rc = xml_attr_int(node, "index", &index, path, err)))
            break;
        /* an issue the domain does not have plays no part (GENIUS files it
         * under no objective) */
        int i = issue_by_index(s, index);
        if (i < 0)
            continue;
        /* an issue evaluated twice: the last evaluator counts, as GENIUS
         * keeps the last it reads */
        if (has_eval[i])
            memset(&ev[i], 0, sizeof ev[i]);
        char type[64];
        const char *t = issue_type(node, type, sizeof type);
        truce_issue_kind kind = s->issues[i].kind;
        if (t && (rc = parse_kind(t, node, path, err, &kind)))
            break;
        if (kind != s->issues[i].kind) {
            rc =
                error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                          "issue '%s' is %s in the profile but %s in the domain", s->issues[i].name,
                          t, kind == TRUCE_ISSUE_DISCRETE ? "not discrete" : "of another type");
            break;
        }
        has_eval[i] = 1;
        if (kind == TRUCE_ISSUE_DISCRETE)
            rc = load_discrete_evaluator(s, &s->issues[i], &ev[i], node, path, err);
        else if (kind == TRUCE_ISSUE_INTEGER)
            rc = load_integer_evaluator(&s->issues[i], &ev[i], node, path, legacy, err);
        else
            rc = load_real_evaluator(&s->issues[i], &ev[i], node, path, err);
    }
    free(nodes);
    if (rc)
        return rc;
    /* weights, at any level of the objective tree */
    n = 0;
    collect_tagged(objective, "weight", NULL, &n, 0);
    xmlNodePtr *weights = malloc((n ? n : 1) * sizeof *weights);
    if (!weights)
        return error_nomem(err);
    got = 0;
    collect_tagged(objective, "weight", weights, &got, n);
    for (size_t j = 0; j < n && rc == 0; j++)
        rc = load_weight(s, ev, has_weight, weights[j], path, err);
    free(weights);
    if (rc)
        return rc;
    for (size_t i = 0; i < s->n_issues; i++) {
        if (!has_eval[i])
            return error_set(err, TRUCE_EINVAL, path, xml_line(objective), NULL,
                             "issue '%s' (index %d) has no evaluator in this profile",
                             s->issues[i].name, s->issues[i].genius_index);
        if (!has_weight[i])
            return error_set(err, TRUCE_EINVAL, path, xml_line(objective), NULL,
                             "issue '%s' (index %d) has no <weight>", s->issues[i].name,
                             s->issues[i].genius_index);
    }
    p->kind = TRUCE_PROFILE_LINEAR;
    p->evaluators = ev;
    if (linear_build_table(s, p))
        return error_nomem(err);
    return 0;
}

static int load_bounds(truce_scenario *s, term *t, xmlNodePtr rect, const char *kind,
                       const char *path, truce_error *err)
{
    uint32_t n = 0;
    for (xmlNodePtr c = rect->children; c; c = c->next)
        if (xml_is(c, kind))
            n++;
    bound *b = arena_array(&s->a, n ? n : 1, sizeof *b);
    if (!b)
        return error_nomem(err);
    uint32_t k = 0;
    for (xmlNodePtr c = rect->children; c; c = c->next) {
        if (!xml_is(c, kind))
            continue;
        int64_t index;
        int rc;
        if ((rc = xml_attr_int(c, "index", &index, path, err)) ||
            (rc = xml_attr_int(c, "min", &b[k].min, path, err)) ||
            (rc = xml_attr_int(c, "max", &b[k].max, path, err)))
            return rc;
        int i = issue_by_index(s, index);
        if (i < 0)
            return error_set(err, TRUCE_EINVAL, path, xml_line(c), NULL,
                             "<%s> index %lld matches no issue of the domain", kind,
                             (long long)index);
        if (s->issues[i].kind == TRUCE_ISSUE_REAL)
            return error_set(err, TRUCE_EINVAL, path, xml_line(c), NULL,
                             "<%s> on real issue '%s': hyperrectangles need integer issues", kind,
                             s->issues[i].name);
        b[k].issue = (uint32_t)i;
        k++;
    }
    t->n_bounds = n;
    t->bounds = b;
    return 0;
}

static int load_ufun(truce_scenario *s, ufun *f, xmlNodePtr node, const char *path, uint32_t depth,
                     const load_limits *lim, truce_error *err)
{
    if (depth >= lim->l.max_depth)
        return limit_exceeded(err, path, xml_line(node), "max_depth", lim->l.max_depth,
                              "<ufun> nested %u levels deep", depth + 1);
    char agg[32];
    f->aggregation = AGG_SUM;
    if (xml_attr(node, "aggregation", agg, sizeof agg)) {
        if (strcmp(agg, "sum") == 0)
            f->aggregation = AGG_SUM;
        else if (strcmp(agg, "min") == 0)
            f->aggregation = AGG_MIN;
        else if (strcmp(agg, "max") == 0)
            f->aggregation = AGG_MAX;
        else
            return error_set(err, TRUCE_EPARSE, path, xml_line(node), NULL,
                             "<ufun> aggregation \"%s\" is not sum, min or max", agg);
    }
    f->weight = 1;
    int rc;
    if (xmlHasProp(node, (const xmlChar *)"weight") &&
        (rc = xml_attr_double(node, "weight", &f->weight, path, err)))
        return rc;
    if (f->weight < 0)
        return error_set(err, TRUCE_EINVAL, path, xml_line(node), NULL,
                         "<ufun> weight %g is negative", f->weight);
    uint32_t nt = 0, nc = 0;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        nt += xml_is(c, "hyperRectangle");
        nc += xml_is(c, "ufun");
    }
    term *terms = arena_array(&s->a, nt ? nt : 1, sizeof *terms);
    ufun *children = arena_array(&s->a, nc ? nc : 1, sizeof *children);
    if (!terms || !children)
        return error_nomem(err);
    uint32_t it = 0, ic = 0;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (xml_is(c, "ufun")) {
            if ((rc = load_ufun(s, &children[ic++], c, path, depth + 1, lim, err)))
                return rc;
            continue;
        }
        if (!xml_is(c, "hyperRectangle"))
            continue;
        term *t = &terms[it++];
        if ((rc = xml_attr_double(c, "utility", &t->utility, path, err)))
            return rc;
        t->weight = 1;
        if (xmlHasProp(c, (const xmlChar *)"weight") &&
            (rc = xml_attr_double(c, "weight", &t->weight, path, err)))
            return rc;
        /* utilities are in [0,1]: negative terms could push them below 0 */
        if (t->utility < 0 || t->weight < 0)
            return error_set(
                err, TRUCE_EINVAL, path, xml_line(c), NULL, "<hyperRectangle> %s %g is negative",
                t->utility < 0 ? "utility" : "weight", t->utility < 0 ? t->utility : t->weight);
        int inc = xml_child(c, "INCLUDES") != NULL, exc = xml_child(c, "EXCLUDES") != NULL;
        if (inc && exc)
            return error_set(err, TRUCE_EINVAL, path, xml_line(c), NULL,
                             "<hyperRectangle> mixes INCLUDES and EXCLUDES");
        t->exclusive = exc;
        if ((rc = load_bounds(s, t, c, exc ? "EXCLUDES" : "INCLUDES", path, err)))
            return rc;
    }
    f->n_terms = nt;
    f->terms = terms;
    f->n_children = nc;
    f->children = children;
    return 0;
}

/* Largest raw value f can take; terms and weights are non-negative, so a
 * finite bound means no sum or product on the way overflows (and no
 * weight 0 meets an infinite sum to make NaN). */
static double ufun_bound(const ufun *f)
{
    double acc = 0;
    for (uint32_t j = 0; j < f->n_terms + f->n_children; j++) {
        double v = j < f->n_terms ? f->terms[j].utility * f->terms[j].weight
                                  : ufun_bound(&f->children[j - f->n_terms]);
        if (f->aggregation == AGG_SUM)
            acc += v;
        else if (!(v <= acc))
            acc = v;
    }
    return acc * f->weight;
}

static int load_nonlinear_profile(truce_scenario *s, party *p, xmlNodePtr root, const char *path,
                                  const load_limits *lim, truce_error *err)
{
    xmlNodePtr u = xml_find(root, "utility");
    if (!u)
        return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                         "nonlinear profile has no <utility> element");
    int rc = xml_attr_double(u, "maxutility", &p->max_utility, path, err);
    if (rc)
        return rc;
    if (!(p->max_utility > 0))
        return error_set(err, TRUCE_EINVAL, path, xml_line(u), NULL,
                         "maxutility must be positive (is %g)", p->max_utility);
    xmlNodePtr f = xml_child(u, "ufun");
    if (!f)
        return error_set(err, TRUCE_EPARSE, path, xml_line(u), NULL, "<utility> has no <ufun>");
    p->kind = TRUCE_PROFILE_NONLINEAR;
    if ((rc = load_ufun(s, &p->root, f, path, 0, lim, err)))
        return rc;
    if (!isfinite(ufun_bound(&p->root)))
        return error_set(err, TRUCE_EINVAL, path, xml_line(f), NULL,
                         "the terms of this nonlinear profile can add up to more than the "
                         "largest number (%g)",
                         DBL_MAX);
    return 0;
}

static int load_profile(truce_scenario *s, party *p, xmlDocPtr doc, const char *path,
                        const load_limits *lim, truce_error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!xml_is(root, "utility_space"))
        return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                         "not a GENIUS profile: root element is <%s>, expected <utility_space>",
                         (const char *)root->name);
    if (!(p->name = base_name(&s->a, path)) || !(p->source = arena_strdup(&s->a, path)))
        return error_nomem(err);
    int rc = load_reservation_discount(p, root, path, err);
    if (rc)
        return rc;
    /* UTILITYSPACETYPE: the root's type, in any case; none is linear;
     * UNCERTAIN is a linear space whose agents see only a ranking of bids */
    char type[32];
    if (xml_attr(root, "type", type, sizeof type)) {
        if (!strcasecmp(type, "nonlinear"))
            return load_nonlinear_profile(s, p, root, path, lim, err);
        if (!strcasecmp(type, "constraint"))
            return error_set(err, TRUCE_EINVAL, path, xml_line(root), NULL,
                             "a GENIUS constraint utility space (type=\"%s\", ranks and "
                             "rules), which truce does not read",
                             type);
        if (strcasecmp(type, "linear") && strcasecmp(type, "uncertain"))
            return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                             "unknown utility space type \"%s\" (expected linear, nonlinear "
                             "or uncertain)",
                             type);
    }
    /* issues and weights in an <objective>, or right in <utility_space> */
    xmlNodePtr objective = xml_child(root, "objective");
    if (!objective && !xml_child(root, "issue"))
        return error_set(err, TRUCE_EPARSE, path, xml_line(root), NULL,
                         "profile has no <objective> and no <issue> element");
    return load_linear_profile(s, p, objective ? objective : root, path, lim->legacy, err);
}

int genius_load_docs(truce_scenario **out, xmlDocPtr domain, const char *domain_path,
                     xmlDocPtr *profiles, const char *const *profile_paths, size_t n_profiles,
                     const char *name, const truce_load_options *opts, truce_error *err)
{
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc)
        return rc;
    if (n_profiles == 0)
        return error_set(err, TRUCE_EINVAL, domain_path, 0, NULL,
                         "a scenario needs at least one profile file");
    if (n_profiles > lim.l.max_parties)
        return limit_exceeded(err, domain_path, 0, "max_parties", lim.l.max_parties, "%zu profiles",
                              n_profiles);
    if ((rc = xml_check_depth(domain, domain_path, lim.l.max_depth, err)))
        return rc;
    for (size_t i = 0; i < n_profiles; i++)
        if ((rc = xml_check_depth(profiles[i], profile_paths[i], lim.l.max_depth, err)))
            return rc;
    truce_scenario *s = scenario_new(opts ? opts->allocator : NULL);
    if (!s)
        return error_nomem(err);
    s->real_steps = lim.real_steps;
    s->name = name ? arena_strdup(&s->a, name) : base_name(&s->a, domain_path);
    s->parties = arena_array(&s->a, n_profiles, sizeof *s->parties);
    if (!s->name || !s->parties) {
        truce_scenario_free(s);
        return error_nomem(err);
    }
    rc = load_domain(s, domain, domain_path, &lim, err);
    for (size_t i = 0; i < n_profiles && rc == 0; i++) {
        rc = load_profile(s, &s->parties[i], profiles[i], profile_paths[i], &lim, err);
        s->n_parties = i + 1;
    }
    if (rc == 0)
        rc = genius_check_party_names(s, profile_paths, err);
    if (rc == 0 && scenario_finish(s))
        rc = error_nomem(err);
    if (rc) {
        truce_scenario_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int genius_check_party_names(const truce_scenario *s, const char *const *profile_paths,
                             truce_error *err)
{
    for (size_t i = 1; i < s->n_parties; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->parties[i].name, s->parties[j].name))
                return error_set(err, TRUCE_EINVAL, profile_paths[i], 0, NULL,
                                 "two profiles name the party '%s' (%s and %s): parties are "
                                 "named after their files",
                                 s->parties[i].name, profile_paths[j], profile_paths[i]);
    return 0;
}

int truce_scenario_load_genius(truce_scenario **out, const char *domain_path,
                               const char *const *profile_paths, size_t n_profiles,
                               const truce_load_options *opts, truce_error *err)
{
    error_clear(err);
    if (!out || !domain_path || (n_profiles && !profile_paths))
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    /* limits first: a file too big is refused before it is read */
    load_limits lim;
    int rc = load_limits_resolve(&lim, opts, err);
    if (rc == 0 && n_profiles > lim.l.max_parties)
        rc = limit_exceeded(err, domain_path, 0, "max_parties", lim.l.max_parties, "%zu profiles",
                            n_profiles);
    if (rc == 0)
        rc = limit_file_size(domain_path, &lim, err);
    for (size_t i = 0; i < n_profiles && rc == 0; i++)
        rc = limit_file_size(profile_paths[i], &lim, err);
    if (rc)
        return rc;
    xmlInitParser();
    xmlDocPtr domain = NULL;
    rc = xml_parse_file(&domain, domain_path, err);
    if (rc)
        return rc;
    xmlDocPtr *docs = calloc(n_profiles ? n_profiles : 1, sizeof *docs);
    if (!docs) {
        xmlFreeDoc(domain);
        return error_nomem(err);
    }
    for (size_t i = 0; i < n_profiles && rc == 0; i++)
        rc = xml_parse_file(&docs[i], profile_paths[i], err);
    if (rc == 0)
        rc = genius_load_docs(out, domain, domain_path, docs, profile_paths, n_profiles, NULL, opts,
                              err);
    for (size_t i = 0; i < n_profiles; i++)
        if (docs[i])
            xmlFreeDoc(docs[i]);
    free(docs);
    xmlFreeDoc(domain);
    return rc;
}
