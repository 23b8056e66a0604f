/* genius_write.c: writing a scenario back as GENIUS domain and profile XML.
 * Numbers are written with 17 significant digits so that reading the files
 * back gives the same utilities on every outcome. */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "atomic.h"
#include "forms.h"
#include "xmlutil.h"

static const char *kind_name(truce_issue_kind k)
{
    return k == TRUCE_ISSUE_DISCRETE ? "discrete" : k == TRUCE_ISSUE_INTEGER ? "integer" : "real";
}

/* All helpers return NULL / nonzero on allocation failure; the caller frees
 * the whole document. */
static int prop(xmlNodePtr n, const char *name, const char *value)
{
    return xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value) ? 0 : -1;
}

static int prop_double(xmlNodePtr n, const char *name, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", v);
    return prop(n, name, buf);
}

static int prop_int(xmlNodePtr n, const char *name, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return prop(n, name, buf);
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    return xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

static xmlNodePtr root_objective(xmlNodePtr parent)
{
    xmlNodePtr o = child(parent, "objective");
    if (!o || prop(o, "index", "0") || prop(o, "description", "") || prop(o, "name", "root") ||
        prop(o, "type", "objective") || prop(o, "etype", "objective"))
        return NULL;
    return o;
}

static xmlNodePtr issue_node(xmlNodePtr parent, const issue *is)
{
    xmlNodePtr n = child(parent, "issue");
    const char *k = kind_name(is->kind);
    if (!n || prop_int(n, "index", is->genius_index) || prop(n, "name", is->name) ||
        prop(n, "type", k) || prop(n, "etype", k) || prop(n, "vtype", k))
        return NULL;
    return n;
}

static int write_domain_issue(xmlNodePtr objective, const issue *is)
{
    xmlNodePtr n = issue_node(objective, is);
    if (!n)
        return -1;
    if (is->kind == TRUCE_ISSUE_DISCRETE) {
        for (uint32_t k = 0; k < is->n_options; k++) {
            xmlNodePtr item = child(n, "item");
            if (!item || prop_int(item, "index", (long long)k + 1) ||
                prop(item, "value", is->labels[k]))
                return -1;
        }
        return 0;
    }
    if (is->kind == TRUCE_ISSUE_INTEGER)
        return prop_int(n, "lowerbound", is->int_lower) || prop_int(n, "upperbound", is->int_upper);
    xmlNodePtr r = child(n, "range");
    return !r || prop_double(r, "lowerbound", is->real_lower) ||
           prop_double(r, "upperbound", is->real_upper);
}

/* Into the temporary file; atomic_finish then reports what the disk lost. */
static int save(xmlDocPtr doc, atomic_file *af, truce_error *err)
{
    xmlOutputBufferPtr out = xmlOutputBufferCreateFile(af->f, NULL);
    if (!out)
        return error_nomem(err);
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_ignore_error);
    errno = 0;
    int written = xmlSaveFormatFileTo(out, doc, "UTF-8", 1); /* closes `out`, not the file */
    int code = errno ? errno : EIO;
    xmlSetGenericErrorFunc(saved_context, saved);
    if (written < 0)
        return error_set(err, TRUCE_EIO, af->path, 0, NULL, "write failed: %s", strerror(code));
    return atomic_finish(af, err);
}

static int write_domain(const truce_scenario *s, atomic_file *af, truce_error *err)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = doc ? xmlNewNode(NULL, (const xmlChar *)"negotiation_template") : NULL;
    int rc = root ? 0 : -1;
    if (root)
        xmlDocSetRootElement(doc, root);
    xmlNodePtr space = rc ? NULL : child(root, "utility_space");
    if (!space || prop_int(space, "number_of_issues", (long long)s->n_issues))
        rc = -1;
    xmlNodePtr objective = rc ? NULL : root_objective(space);
    if (!objective)
        rc = -1;
    for (size_t i = 0; i < s->n_issues && rc == 0; i++)
        rc = write_domain_issue(objective, &s->issues[i]);
    rc = rc ? error_nomem(err) : save(doc, af, err);
    xmlFreeDoc(doc);
    return rc;
}

static int write_evaluator(xmlNodePtr objective, const issue *is, const evaluator *e)
{
    xmlNodePtr n = issue_node(objective, is);
    if (!n)
        return -1;
    if (is->kind == TRUCE_ISSUE_DISCRETE) {
        for (uint32_t k = 0; k < is->n_options; k++) {
            xmlNodePtr item = child(n, "item");
            if (!item || prop_int(item, "index", (long long)k + 1) ||
                prop(item, "value", is->labels[k]) || prop_double(item, "evaluation", e->raw[k]))
                return -1;
        }
        /* an item the domain lacks that sets the divisor, as it was read, or
         * one named here when the values are their own utilities (divisor 1,
         * as GeniusWeb profiles give them) */
        double largest = 0;
        for (uint32_t k = 0; k < is->n_options; k++)
            largest = e->raw[k] > largest ? e->raw[k] : largest;
        char name[64];
        const char *label =
            e->extra_label ? e->extra_label : forms_free_label(is, name, sizeof name);
        xmlNodePtr extra;
        if (e->extra_max > largest &&
            (!(extra = child(n, "item")) ||
             prop_int(extra, "index", (long long)is->n_options + 1) ||
             prop(extra, "value", label) || prop_double(extra, "evaluation", e->extra_max)))
            return -1;
        return 0;
    }
    if (is->kind == TRUCE_ISSUE_INTEGER && e->function && e->real_ftype == REAL_INTERPOLATE) {
        /* GeniusWeb's interpolation over [lowValue, highValue] is EvaluatorInteger's line
         * from lowValue (genius_exact checked it) */
        xmlNodePtr ev;
        double slope = (e->param[3] - e->param[1]) / (e->param[2] - e->param[0]);
        return prop_int(n, "lowerbound", (long long)e->param[0]) ||
               prop_int(n, "upperbound", (long long)e->param[2]) || !(ev = child(n, "evaluator")) ||
               prop(ev, "ftype", "linear") || prop_double(ev, "slope", slope) ||
               prop_double(ev, "offset", e->param[1]);
    }
    if (is->kind == TRUCE_ISSUE_INTEGER && e->function) {
        /* as it was read: a legacy file stays one (truce_load_options.legacy) */
        static const char *const legacy_ftypes[] = {"linear", "constant", "triangular",
                                                    "triangular_variable_top"};
        static const int legacy_params[] = {2, 1, 3, 4};
        xmlNodePtr r = child(n, "range");
        xmlNodePtr ev = child(n, "evaluator");
        if (!r || !ev || prop_int(r, "lowerbound", is->int_lower) ||
            prop_int(r, "upperbound", is->int_upper) ||
            prop(ev, "ftype", legacy_ftypes[e->real_ftype]))
            return -1;
        for (int j = 0; j < legacy_params[e->real_ftype]; j++) {
            char name[32];
            snprintf(name, sizeof name, "parameter%d", j);
            if (prop_double(ev, name, e->param[j]))
                return -1;
        }
        return 0;
    }
    if (is->kind == TRUCE_ISSUE_INTEGER) {
        xmlNodePtr ev;
        return prop_int(n, "lowerbound", e->int_lower) || prop_int(n, "upperbound", e->int_upper) ||
               !(ev = child(n, "evaluator")) || prop(ev, "ftype", "linear") ||
               prop_double(ev, "slope", e->slope) || prop_double(ev, "offset", e->offset);
    }
    static const char *const ftypes[] = {"linear", "constant", "triangular",
                                         "triangular_variable_top"};
    static const int params[] = {2, 1, 3, 4};
    xmlNodePtr r = child(n, "range");
    xmlNodePtr ev = child(n, "evaluator");
    if (!r || !ev || prop_double(r, "lowerbound", e->real_lower) ||
        prop_double(r, "upperbound", e->real_upper) || prop(ev, "ftype", ftypes[e->real_ftype]))
        return -1;
    for (int j = 0; j < params[e->real_ftype]; j++) {
        char name[32];
        snprintf(name, sizeof name, "parameter%d", j);
        if (prop_double(ev, name, e->param[j]))
            return -1;
    }
    return 0;
}

static int write_ufun(xmlNodePtr parent, const ufun *f)
{
    static const char *const agg[] = {"sum", "min", "max"};
    xmlNodePtr u = child(parent, "ufun");
    if (!u || prop(u, "type", "PlainUfun") || prop_double(u, "weight", f->weight) ||
        prop(u, "aggregation", agg[f->aggregation]))
        return -1;
    for (uint32_t j = 0; j < f->n_terms; j++) {
        const term *t = &f->terms[j];
        xmlNodePtr h = child(u, "hyperRectangle");
        if (!h || prop_double(h, "utility", t->utility) || prop_double(h, "weight", t->weight))
            return -1;
        for (uint32_t b = 0; b < t->n_bounds; b++) {
            xmlNodePtr bn = child(h, t->exclusive ? "EXCLUDES" : "INCLUDES");
            if (!bn || prop_int(bn, "index", t->bounds[b].issue + 0LL) ||
                prop_int(bn, "min", t->bounds[b].min) || prop_int(bn, "max", t->bounds[b].max))
                return -1;
        }
    }
    for (uint32_t j = 0; j < f->n_children; j++)
        if (write_ufun(u, &f->children[j]))
            return -1;
    return 0;
}

/* Bounds are stored by issue position; the file wants the issue's index. */
static int fix_bound_indices(xmlNodePtr node, const truce_scenario *s)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)c->name, "INCLUDES") ||
            !strcmp((const char *)c->name, "EXCLUDES")) {
            xmlChar *v = xmlGetProp(c, (const xmlChar *)"index");
            long pos = v ? strtol((const char *)v, NULL, 10) : 0;
            xmlFree(v);
            char buf[32];
            snprintf(buf, sizeof buf, "%d", s->issues[pos].genius_index);
            if (!xmlSetProp(c, (const xmlChar *)"index", (const xmlChar *)buf))
                return -1;
        } else if (fix_bound_indices(c, s)) {
            return -1;
        }
    }
    return 0;
}

static int write_profile(const truce_scenario *s, const party *p, atomic_file *af, truce_error *err)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = doc ? xmlNewNode(NULL, (const xmlChar *)"utility_space") : NULL;
    int rc = root ? 0 : -1;
    if (root)
        xmlDocSetRootElement(doc, root);
    if (rc == 0 && p->kind == TRUCE_PROFILE_NONLINEAR)
        rc = prop(root, "type", "nonlinear");
    xmlNodePtr objective = rc ? NULL : root_objective(root);
    if (!objective)
        rc = -1;
    if (rc == 0 && p->kind == TRUCE_PROFILE_LINEAR) {
        for (size_t i = 0; i < s->n_issues && rc == 0; i++)
            rc = write_evaluator(objective, &s->issues[i], &p->evaluators[i]);
        for (size_t i = 0; i < s->n_issues && rc == 0; i++) {
            xmlNodePtr w = child(objective, "weight");
            rc = !w || prop_int(w, "index", s->issues[i].genius_index) ||
                 prop_double(w, "value", p->evaluators[i].weight);
        }
    } else if (rc == 0) {
        for (size_t i = 0; i < s->n_issues && rc == 0; i++) {
            xmlNodePtr n = issue_node(objective, &s->issues[i]);
            rc = !n || (s->issues[i].kind == TRUCE_ISSUE_INTEGER &&
                        (prop_int(n, "lowerbound", s->issues[i].int_lower) ||
                         prop_int(n, "upperbound", s->issues[i].int_upper)));
        }
        xmlNodePtr u = rc ? NULL : child(objective, "utility");
        rc = !u || prop_double(u, "maxutility", p->max_utility) || write_ufun(u, &p->root) ||
             fix_bound_indices(u, s);
    }
    if (rc == 0 && p->has_discount) {
        xmlNodePtr d = child(root, "discount_factor");
        rc = !d || prop_double(d, "value", p->discount_written);
    }
    if (rc == 0 && p->has_reservation) {
        xmlNodePtr r = child(root, "reservation");
        rc = !r || prop_double(r, "value", p->reservation);
    }
    rc = rc ? error_nomem(err) : save(doc, af, err);
    xmlFreeDoc(doc);
    return rc;
}

/* GENIUS profiles are either linear or sums of hyperrectangles over integer
 * ranges; native profiles mixing both, or with option-set terms, are not. */
static int genius_can_express(const truce_scenario *s, truce_error *err)
{
    for (size_t p = 0; p < s->n_parties; p++) {
        const party *pt = &s->parties[p];
        if (pt->is_coalition)
            return error_set(err, TRUCE_EINVAL, NULL, 0, pt->name,
                             "party '%s' is a coalition (docs/scenario-format.md#coalitions), "
                             "which GENIUS cannot express: remove it to write its members as "
                             "parties",
                             pt->name);
        if (pt->kind != TRUCE_PROFILE_NONLINEAR)
            continue;
        if (pt->table)
            return error_set(err, TRUCE_EINVAL, NULL, 0, pt->name,
                             "party '%s' has weights and constraint terms together, which "
                             "GENIUS cannot express",
                             pt->name);
        for (uint32_t j = 0; j < pt->root.n_terms; j++)
            for (uint32_t b = 0; b < pt->root.terms[j].n_bounds; b++)
                if (pt->root.terms[j].bounds[b].allowed)
                    return error_set(err, TRUCE_EINVAL, NULL, 0, pt->name,
                                     "party '%s' has terms over option sets, which GENIUS "
                                     "cannot express",
                                     pt->name);
    }
    return 0;
}

/* Which numeric evaluators GENIUS reads back bit for bit: its own, the legacy
 * form as read, and GeniusWeb's interpolation on an integer issue when its
 * range is the issue's (then EvaluatorInteger's line). */
static int genius_exact(const truce_scenario *s, size_t i, const evaluator *e)
{
    const issue *is = &s->issues[i];
    if (!e->function && is->kind == TRUCE_ISSUE_INTEGER)
        return 1;
    if (e->real_ftype != REAL_INTERPOLATE)
        return 1;
    if (is->kind != TRUCE_ISSUE_INTEGER || e->param[0] != (double)is->int_lower ||
        e->param[2] != (double)is->int_upper)
        return 0;
    double slope = (e->param[3] - e->param[1]) / (e->param[2] - e->param[0]);
    return forms_integer_line_exact(is, e, slope, e->param[1]);
}

int truce_scenario_save_genius(const truce_scenario *given, const char *domain_path,
                               const char *const *profile_paths, size_t n_profiles,
                               truce_error *err)
{
    error_clear(err);
    if (!given || !domain_path || !profile_paths)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    if (n_profiles != given->n_parties)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL,
                         "%zu profile paths given for %zu parties", n_profiles, given->n_parties);
    int rc = genius_can_express(given, err);
    if (rc)
        return rc;
    /* numeric issues GENIUS cannot carry exactly are written as discrete ones */
    const truce_scenario *s;
    truce_scenario *owned;
    if (forms_view(&s, &owned, given, genius_exact))
        return error_nomem(err);
    xmlInitParser();
    /* every file to its temporary first, renamed only when all are written:
     * a failure leaves the previous files or none, never half a scenario */
    atomic_file *files = calloc(n_profiles + 1, sizeof *files);
    if (!files) {
        truce_scenario_free(owned);
        return error_nomem(err);
    }
    size_t opened = 0;
    for (size_t i = 0; i <= n_profiles && rc == 0; i++) {
        const char *path = i == 0 ? domain_path : profile_paths[i - 1];
        if ((rc = atomic_open(&files[i], path, err)))
            break;
        opened = i + 1;
        rc = i == 0 ? write_domain(s, &files[i], err)
                    : write_profile(s, &s->parties[i - 1], &files[i], err);
    }
    for (size_t i = 0; i < opened && rc == 0; i++)
        rc = atomic_commit(&files[i], err);
    for (size_t i = 0; i < opened; i++)
        atomic_abort(&files[i]);
    free(files);
    truce_scenario_free(owned);
    return rc;
}
