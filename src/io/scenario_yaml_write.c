/* scenario_yaml_write.c: writing a scenario in the native YAML format, and
 * truce_scenario_load choosing the reader by path. GENIUS profiles convert
 * losslessly where the native format can express them (see
 * docs/scenario-format.md); what it cannot express is refused by name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/error.h"
#include "../core/scenario.h"
#include "../core/uncertain.h"
#include "atomic.h"
#include "forms.h"

/* A double-quoted YAML string. Besides quotes, backslashes and control characters, what the
 * reader refuses raw or would take for a line break is escaped: DEL, the C1 controls U+0080 to
 * U+009F (NEL among them), U+2028, U+2029 and U+FEFF. Written raw they made convert write YAML
 * truce refuses. Text is UTF-8 (both readers give only that). */
static void quoted(FILE *f, const char *t)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)(t ? t : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c < 0x20 || *c == 0x7F)
            fprintf(f, "\\x%02x", *c);
        else if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F)
            fprintf(f, "\\u%04x", (unsigned)*++c);
        else if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0xA8 || c[2] == 0xA9)) {
            fprintf(f, "\\u%04x", 0x2000u | (c[2] == 0xA8 ? 0x28u : 0x29u));
            c += 2;
        } else if (c[0] == 0xEF && c[1] == 0xBB && c[2] == 0xBF) {
            fputs("\\ufeff", f);
            c += 2;
        } else
            fputc(*c, f);
    }
    fputc('"', f);
}

static void number(FILE *f, double v)
{
    fprintf(f, "%.17g", v);
}

static const uncertain *find_uncertain(const truce_scenario *s, int target, size_t who,
                                       uint32_t which, uint32_t index)
{
    for (size_t k = 0; k < s->n_uncertain; k++) {
        const uncertain *u = &s->uncertain[k];
        if (u->target == target && u->party == who && u->issue == which && u->index == index)
            return u;
    }
    return NULL;
}

static void number_list(FILE *f, const double *v, size_t n)
{
    fputc('[', f);
    for (size_t k = 0; k < n; k++) {
        fputs(k ? ", " : "", f);
        number(f, v[k]);
    }
    fputc(']', f);
}

/* A number of the model, or its distribution when it is uncertain. Numbers
 * widened by an 'uncertainty' shorthand are written as the explicit ranges
 * they became, so that the file means the same without the shorthand. */
static void model_number(FILE *f, const truce_scenario *s, int target, size_t who,
                         uint32_t which, uint32_t index, double v)
{
    const uncertain *u = find_uncertain(s, target, who, which, index);
    if (!u) {
        number(f, v);
        return;
    }
    fprintf(f, "{%s: ", uncertain_kind_name(u->kind));
    if (u->kind == UNC_UNIFORM) {
        number_list(f, (double[]){u->lo, u->hi}, 2);
    } else if (u->kind == UNC_TRIANGULAR) {
        number_list(f, (double[]){u->lo, u->mode, u->hi}, 3);
    } else if (u->kind == UNC_NORMAL) {
        number_list(f, (double[]){u->mean, u->sd, u->lo, u->hi}, 4);
    } else {
        number_list(f, u->values, u->n_values);
        fputs(", p: ", f);
        number_list(f, u->probs, u->n_values);
    }
    if (u->central != uncertain_default_central(u)) {
        fputs(", value: ", f);
        number(f, u->central);
    }
    if (u->source) {
        fputs(", source: ", f);
        quoted(f, u->source);
    }
    fputc('}', f);
}

static void option_label(FILE *f, const issue *is, uint32_t k)
{
    if (is->kind == TRUCE_ISSUE_DISCRETE) {
        quoted(f, is->labels[k]);
    } else if (is->kind == TRUCE_ISSUE_INTEGER) {
        fprintf(f, "%lld", (long long)(is->int_lower + (int64_t)k));
    } else {
        number(f, issue_option_value(is, k));
    }
}

static void option_list(FILE *f, const issue *is, const unsigned char *allowed)
{
    fputc('[', f);
    int first = 1;
    for (uint32_t k = 0; k < is->n_options; k++) {
        if (!allowed[k])
            continue;
        fputs(first ? "" : ", ", f);
        option_label(f, is, k);
        first = 0;
    }
    fputc(']', f);
}

static void text_field(FILE *f, const char *indent, const char *key, const char *value)
{
    if (!value)
        return;
    fprintf(f, "%s%s: ", indent, key);
    quoted(f, value);
    fputc('\n', f);
}

/* The native line of an integer issue's function evaluator: its values at the lower bound
 * and one above (what yaml_exact checks). */
static void integer_line(const issue *is, const evaluator *e, double *slope, double *offset)
{
    if (e->real_ftype == REAL_INTERPOLATE) {
        *slope = (e->param[3] - e->param[1]) / (e->param[2] - e->param[0]);
        *offset = e->param[1] + *slope * ((double)is->int_lower - e->param[0]);
    } else {
        *slope = e->real_ftype == REAL_LINEAR ? e->param[1] : 0;
        *offset = e->param[0] + *slope * (double)is->int_lower;
    }
}

/* Which numeric evaluators the native format reads back bit for bit: an integer issue's
 * own line, a function of an integer value whose line gives every option the same value,
 * and a real issue's linear or constant function. */
static int yaml_exact(const truce_scenario *s, size_t i, const evaluator *e)
{
    const issue *is = &s->issues[i];
    if (is->kind == TRUCE_ISSUE_INTEGER && !e->function)
        return 1;
    if (is->kind == TRUCE_ISSUE_INTEGER) {
        double slope, offset;
        integer_line(is, e, &slope, &offset);
        return forms_integer_line_exact(is, e, slope, offset);
    }
    return e->real_ftype == REAL_LINEAR || e->real_ftype == REAL_CONSTANT;
}

static int write_values(FILE *f, const truce_scenario *s, const party *p, truce_error *err,
                        const char *path)
{
    (void)err;
    (void)path;
    size_t pi = (size_t)(p - s->parties);
    fputs("    weights:\n", f);
    for (size_t i = 0; i < s->n_issues; i++) {
        fputs("      ", f);
        quoted(f, s->issues[i].name);
        fputs(": ", f);
        model_number(f, s, UNC_WEIGHT, pi, (uint32_t)i, 0, p->evaluators[i].weight);
        fputc('\n', f);
    }
    fputs("    values:\n", f);
    int divided = 0; /* some discrete issue divides by more than its largest value */
    for (size_t i = 0; i < s->n_issues; i++) {
        const issue *is = &s->issues[i];
        const evaluator *e = &p->evaluators[i];
        fputs("      ", f);
        quoted(f, is->name);
        if (is->kind == TRUCE_ISSUE_DISCRETE) {
            double largest = 0;
            fputs(": {", f);
            for (uint32_t k = 0; k < is->n_options; k++) {
                fputs(k ? ", " : "", f);
                quoted(f, is->labels[k]);
                fputs(": ", f);
                model_number(f, s, UNC_VALUE, pi, (uint32_t)i, k, e->raw[k]);
                largest = e->raw[k] > largest ? e->raw[k] : largest;
            }
            fputs("}\n", f);
            divided |= e->extra_max > largest;
        } else if (is->kind == TRUCE_ISSUE_INTEGER && e->function) {
            /* a function of the value, written as the line yaml_exact found exact */
            double slope = 0, offset = 0;
            integer_line(is, e, &slope, &offset);
            fprintf(f, ": {slope: %.17g, offset: %.17g}\n", slope, offset);
        } else if (is->kind == TRUCE_ISSUE_INTEGER) {
            /* the native evaluator counts from the issue's lower bound */
            double offset = e->offset + e->slope * ((double)is->int_lower - (double)e->int_lower);
            fprintf(f, ": {slope: %.17g, offset: %.17g}\n", e->slope, offset);
        } else {
            double slope = e->real_ftype == REAL_LINEAR ? e->param[1] : 0;
            fprintf(f, ": {slope: %.17g, offset: %.17g}\n", slope, e->param[0]);
        }
    }
    if (divided) {
        /* what each value is divided by, when more than the issue's largest value: an item
         * outside the domain (GENIUS), or 1 (values that are utilities, as GeniusWeb's) */
        fputs("    divisors:\n", f);
        for (size_t i = 0; i < s->n_issues; i++) {
            const issue *is = &s->issues[i];
            const evaluator *e = &p->evaluators[i];
            double largest = 0;
            for (uint32_t k = 0; is->kind == TRUCE_ISSUE_DISCRETE && k < is->n_options; k++)
                largest = e->raw[k] > largest ? e->raw[k] : largest;
            if (is->kind != TRUCE_ISSUE_DISCRETE || !(e->extra_max > largest))
                continue;
            fputs("      ", f);
            quoted(f, is->name);
            fputs(": ", f);
            number(f, e->extra_max);
            fputc('\n', f);
        }
    }
    return 0;
}

/* The options of one issue a hyperrectangle's bounds on it allow (their
 * intersection, should it bound the issue twice). */
typedef struct issue_set {
    uint32_t issue;
    unsigned char *allowed;
    int empty;
} issue_set;

static void free_sets(issue_set *sets, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        free(sets[k].allowed);
    free(sets);
}

/* The bounds of t gathered per issue, in the order issues first appear. */
static int term_sets(const truce_scenario *s, const term *t, issue_set **out, uint32_t *n_out)
{
    issue_set *sets = calloc(t->n_bounds ? t->n_bounds : 1, sizeof *sets);
    uint32_t n = 0;
    if (!sets)
        return TRUCE_ENOMEM;
    for (uint32_t b = 0; b < t->n_bounds; b++) {
        const bound *bd = &t->bounds[b];
        const issue *is = &s->issues[bd->issue];
        uint32_t k = 0;
        while (k < n && sets[k].issue != bd->issue)
            k++;
        if (k == n) {
            sets[n].issue = bd->issue;
            sets[n].allowed = malloc(is->n_options);
            if (!sets[n].allowed) {
                free_sets(sets, n);
                return TRUCE_ENOMEM;
            }
            memset(sets[n].allowed, 1, is->n_options);
            n++;
        }
        int any = 0;
        for (uint32_t o = 0; o < is->n_options; o++) {
            /* nonlinear.c: GENIUS bounds compare issue values, not indices */
            int64_t v = is->kind == TRUCE_ISSUE_DISCRETE ? (int64_t)o : is->int_lower + (int64_t)o;
            int in = bd->allowed ? bd->allowed[o] : (v >= bd->min && v <= bd->max);
            sets[k].allowed[o] &= (unsigned char)in;
            any |= sets[k].allowed[o];
        }
        sets[k].empty = !any;
    }
    *out = sets;
    *n_out = n;
    return 0;
}

/* One native term: value when every issue of sets[0..n) takes an allowed
 * option and, when negate_last, the last one does not. A condition that no
 * outcome meets is left out (it would add 0); an empty condition (always)
 * is written as "the first issue takes any option". */
static void write_term(FILE *f, const truce_scenario *s, const party *p, int *header, double value,
                       const issue_set *sets, uint32_t n, int negate_last, unsigned char *scratch)
{
    for (uint32_t k = 0; k < n; k++) {
        const issue *is = &s->issues[sets[k].issue];
        int any = 0;
        for (uint32_t o = 0; o < is->n_options; o++)
            any |= (k + 1 == n && negate_last) ? !sets[k].allowed[o] : sets[k].allowed[o];
        if (!any)
            return;
    }
    if (!*header) {
        /* GENIUS divides the sum of the terms by maxutility once: so does
         * the native term_scale, which keeps the utilities bit for bit (for
         * a flat sum of weight 1, as every ANAC profile is) */
        if (p->max_utility != 1)
            fprintf(f, "    term_scale: %.17g\n", p->max_utility);
        fputs("    terms:\n", f);
        *header = 1;
    }
    fputs("      - value: ", f);
    number(f, value);
    fputs("\n        when: {", f);
    if (n == 0) {
        memset(scratch, 1, s->issues[0].n_options);
        quoted(f, s->issues[0].name);
        fputs(": ", f);
        option_list(f, &s->issues[0], scratch);
    }
    for (uint32_t k = 0; k < n; k++) {
        const issue *is = &s->issues[sets[k].issue];
        for (uint32_t o = 0; o < is->n_options; o++)
            scratch[o] = (k + 1 == n && negate_last) ? !sets[k].allowed[o] : sets[k].allowed[o];
        fputs(k ? ", " : "", f);
        quoted(f, is->name);
        fputs(": ", f);
        option_list(f, is, scratch);
    }
    fputs("}\n", f);
}

static int write_terms(FILE *f, const truce_scenario *s, const party *p, const ufun *u,
                       double factor, int *header, truce_error *err, const char *path)
{
    if (u->aggregation != AGG_SUM && u->n_terms + u->n_children > 1)
        return error_set(err, TRUCE_EINVAL, path, 0, p->name,
                         "min/max aggregation cannot be written in the native format");
    factor *= u->weight;
    size_t widest = 1;
    for (size_t i = 0; i < s->n_issues; i++)
        if (s->issues[i].n_options > widest)
            widest = s->issues[i].n_options;
    unsigned char *scratch = malloc(widest);
    if (!scratch)
        return error_nomem(err);
    for (uint32_t j = 0; j < u->n_terms; j++) {
        const term *t = &u->terms[j];
        issue_set *sets;
        uint32_t n;
        if (term_sets(s, t, &sets, &n)) {
            free(scratch);
            return error_nomem(err);
        }
        double value = t->utility * t->weight * factor;
        if (!t->exclusive) {
            write_term(f, s, p, header, value, sets, n, 0, scratch);
        } else {
            /* EXCLUDES counts when some bound fails: not (S1 and ... and Sn)
             * is the disjoint union of (S1 .. Sk-1 and not Sk), k = 1..n, so
             * exactly one of these terms adds the value, and the sum is the
             * same bit for bit (the others add 0) */
            for (uint32_t k = 1; k <= n; k++)
                write_term(f, s, p, header, value, sets, k, 1, scratch);
        }
        free_sets(sets, n);
    }
    free(scratch);
    for (uint32_t j = 0; j < u->n_children; j++) {
        int rc = write_terms(f, s, p, &u->children[j], factor, header, err, path);
        if (rc)
            return rc;
    }
    return 0;
}

static const char *role_name(truce_role r)
{
    return r == TRUCE_ROLE_MEDIATOR      ? "mediator"
           : r == TRUCE_ROLE_STAKEHOLDER ? "stakeholder"
                                         : "principal";
}

/* A coalition (docs/scenario-format.md#coalitions): its members, rule and weights; its
 * preferences are derived from its members when read. */
static int write_coalition(FILE *f, const truce_scenario *s, const party *p)
{
    fputs("    role: coalition\n    members: [", f);
    for (size_t k = 0; k < p->n_members; k++) {
        fputs(k ? ", " : "", f);
        quoted(f, s->parties[p->members[k]].name);
    }
    fprintf(f, "]\n    rule: %s\n",
            p->coalition_rule == TRUCE_COALITION_UNANIMITY ? "unanimity" : "weighted");
    if (p->member_weight) {
        fputs("    member_weights: {", f);
        for (size_t k = 0; k < p->n_members; k++) {
            fputs(k ? ", " : "", f);
            quoted(f, s->parties[p->members[k]].name);
            fprintf(f, ": %.17g", p->member_weight[k]);
        }
        fputs("}\n", f);
    }
    if (p->has_power)
        fprintf(f, "    power: %.17g\n", p->power);
    return 0;
}

static int write_party(FILE *f, const truce_scenario *s, const party *p, truce_error *err,
                       const char *path)
{
    fputs("  - id: ", f);
    quoted(f, p->name);
    fputc('\n', f);
    text_field(f, "    ", "label", p->label);
    text_field(f, "    ", "source", p->source);
    if (p->is_coalition)
        return write_coalition(f, s, p);
    /* a coalition's mode changes its members' roles: the role as written goes back */
    fprintf(f, "    role: %s\n", role_name(s->n_coalitions ? (truce_role)p->declared_role : p->role));
    int rc = 0;
    if (p->evaluators)
        rc = write_values(f, s, p, err, path);
    int header = 0;
    if (rc == 0 && p->kind == TRUCE_PROFILE_NONLINEAR)
        rc = write_terms(f, s, p, &p->root, 1.0, &header, err, path);
    if (rc)
        return rc;
    size_t pi = (size_t)(p - s->parties);
    if (p->n_reservation_points) {
        fputs("    reservation:\n      points: [", f);
        for (uint32_t k = 0; k < p->n_reservation_points; k++) {
            fprintf(f, "%s[%.17g, ", k ? ", " : "", p->reservation_time[k]);
            model_number(f, s, UNC_RESERVATION_POINT, pi, 0, k, p->reservation_value[k]);
            fputc(']', f);
        }
        fputs("]\n", f);
        text_field(f, "      ", "source", p->reservation_source);
    } else if (p->has_reservation) {
        fputs("    reservation: ", f);
        model_number(f, s, UNC_RESERVATION, pi, 0, 0, p->reservation);
        fputc('\n', f);
    }
    if (p->has_discount && p->discount < 1)
        fprintf(f, "    discount: %.17g\n", p->discount);
    if (p->has_power)
        fprintf(f, "    power: %.17g\n", p->power);
    if (p->n_hard)
        fputs("    hard_conditions:\n", f);
    for (uint32_t h = 0; h < p->n_hard; h++) {
        const condition *c = &p->hard[h];
        fputs("      - id: ", f);
        quoted(f, c->id);
        fputc('\n', f);
        text_field(f, "        ", "label", c->label);
        /* an expression of one issue was read as the last clause: written as the expression */
        uint32_t written = c->expression && !c->rule ? c->n_clauses - 1 : c->n_clauses;
        if (written)
            fputs("        require: {", f);
        for (uint32_t k = 0; k < written; k++) {
            fputs(k ? ", " : "", f);
            quoted(f, s->issues[c->clauses[k].issue].name);
            fputs(": ", f);
            option_list(f, &s->issues[c->clauses[k].issue], c->clauses[k].allowed);
        }
        if (written)
            fputs("}\n", f);
        if (c->expression) {
            fputs("        expression: ", f);
            quoted(f, c->expression);
            fputc('\n', f);
        }
        if (c->has_phase) {
            fputs("        phase: {item: ", f);
            quoted(f, s->agenda[c->phase_item].id);
            if (c->phase_by >= 0) {
                fputs(", by: ", f);
                quoted(f, s->phases[c->phase_by].id);
            }
            if (c->phase_after >= 0) {
                fputs(", after: ", f);
                quoted(f, s->phases[c->phase_after].id);
            }
            fputs("}\n", f);
        }
        text_field(f, "        ", "source", c->source);
        const uncertain *u = find_uncertain(s, UNC_CREDIBILITY, pi, 0, h);
        if (u)
            fprintf(f, "        credibility: %.17g\n", u->probs[1]);
    }
    return 0;
}

static void write_issue(FILE *f, const issue *is)
{
    fputs("  - id: ", f);
    quoted(f, is->name);
    fputc('\n', f);
    text_field(f, "    ", "label", is->label);
    if (is->kind == TRUCE_ISSUE_DISCRETE) {
        fputs("    type: discrete\n    options: [", f);
        for (uint32_t k = 0; k < is->n_options; k++) {
            fputs(k ? ", " : "", f);
            quoted(f, is->labels[k]);
        }
        fputs("]\n", f);
    } else if (is->kind == TRUCE_ISSUE_INTEGER) {
        fprintf(f, "    type: integer\n    range: [%lld, %lld]\n", (long long)is->int_lower,
                (long long)is->int_upper);
    } else {
        fprintf(f, "    type: real\n    range: [%.17g, %.17g]\n    steps: %u\n", is->real_lower,
                is->real_upper, is->n_options < 2 ? 2 : is->n_options);
    }
    text_field(f, "    ", "source", is->source);
}

/* Issue i's option attributes (docs/scenario-format.md#constraint-expressions). */
static void write_attributes(FILE *f, const truce_scenario *s, size_t i)
{
    int any = 0;
    for (size_t a = 0; a < s->n_attributes; a++) {
        if (!s->attribute_issues[a * s->n_issues + i])
            continue;
        fputs(any++ ? ", " : "    attributes: {", f);
        quoted(f, s->attribute_names[a]);
        fputs(": ", f);
        number_list(f, &s->attribute_values[a][s->option_offset[i]], s->issues[i].n_options);
    }
    if (any)
        fputs("}\n", f);
}

/* The scenario-level constraints. */
static void write_constraints(FILE *f, const truce_scenario *s)
{
    if (s->n_constraints)
        fputs("constraints:\n", f);
    for (size_t k = 0; k < s->n_constraints; k++) {
        const scenario_rule *c = &s->constraints[k];
        fputs("  - id: ", f);
        quoted(f, c->id);
        fputc('\n', f);
        text_field(f, "    ", "label", c->label);
        fputs("    expression: ", f);
        quoted(f, c->rule.text);
        fputc('\n', f);
        text_field(f, "    ", "source", c->source);
    }
}

/* Channels as declared, each entry with its window in relative time (a
 * window read in days was divided by 'days' when read; written so, it reads
 * back to the same bits). */
static void write_channel_windows(FILE *f, const truce_scenario *s)
{
    fputs("channels:\n", f);
    for (size_t k = 0; k < s->n_windows; k++) {
        const channel_window *w = &s->windows[k];
        fputs("  - between: [", f);
        quoted(f, s->parties[w->a].name);
        fputs(", ", f);
        quoted(f, s->parties[w->b].name);
        fputs("]\n", f);
        if (w->from > 0)
            fprintf(f, "    from: %.17g\n", w->from);
        if (w->until < 1)
            fprintf(f, "    until: %.17g\n", w->until);
        text_field(f, "    ", "source", w->source);
    }
}

/* Phases in order, each with the agenda items the plan puts in it. */
static void write_phases(FILE *f, const truce_scenario *s)
{
    if (s->n_phases)
        fputs("phases:\n", f);
    for (size_t k = 0; k < s->n_phases; k++) {
        const phase *ph = &s->phases[k];
        fputs("  - id: ", f);
        quoted(f, ph->id);
        fputc('\n', f);
        text_field(f, "    ", "label", ph->label);
        text_field(f, "    ", "verification", ph->verification);
        int first = 1;
        for (size_t a = 0; a < s->n_agenda; a++)
            if (s->item_phase[a] == (long)k) {
                fputs(first ? "    items: [" : ", ", f);
                quoted(f, s->agenda[a].id);
                first = 0;
            }
        if (!first)
            fputs("]\n", f);
        text_field(f, "    ", "source", ph->source);
    }
}

static void write_relations(FILE *f, const truce_scenario *s)
{
    size_t n = s->n_parties;
    if (s->windows) {
        write_channel_windows(f, s);
    } else if (s->channels) {
        /* declared but empty ('channels: []': nobody may talk) must stay so */
        int any = 0;
        for (size_t a = 0; a < n * n && !any; a++)
            any = s->channels[a];
        fputs(any ? "channels:\n" : "channels: []\n", f);
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                /* a coalition's channels are its members' (derived when read) */
                if (s->channels[a * n + b] && !s->parties[a].is_coalition &&
                    !s->parties[b].is_coalition) {
                    fputs("  - [", f);
                    quoted(f, s->parties[a].name);
                    fputs(", ", f);
                    quoted(f, s->parties[b].name);
                    fputs("]\n", f);
                }
    }
    if (s->n_agenda)
        fputs("agenda:\n", f);
    for (size_t k = 0; k < s->n_agenda; k++) {
        fputs("  - id: ", f);
        quoted(f, s->agenda[k].id);
        fputc('\n', f);
        text_field(f, "    ", "label", s->agenda[k].label);
        if (s->agenda[k].n_issues) {
            fputs("    issues: [", f);
            for (uint32_t j = 0; j < s->agenda[k].n_issues; j++) {
                fputs(j ? ", " : "", f);
                quoted(f, s->issues[s->agenda[k].issues[j]].name);
            }
            fputs("]\n", f);
        }
    }
    if (s->n_preconditions)
        fputs("preconditions:\n", f);
    for (size_t k = 0; k < s->n_preconditions; k++) {
        const precondition *p = &s->preconditions[k];
        fputs("  - party: ", f);
        quoted(f, s->parties[p->party].name);
        fputs("\n    first: ", f);
        quoted(f, s->agenda[p->first].id);
        fputs("\n    then: ", f);
        quoted(f, s->agenda[p->then].id);
        fputc('\n', f);
        text_field(f, "    ", "source", p->source);
        if (s->same_phase && s->same_phase[k])
            fputs("    same_phase: true\n", f);
    }
    write_phases(f, s);
    if (s->n_guarantees)
        fputs("guarantees:\n", f);
    for (size_t k = 0; k < s->n_guarantees; k++) {
        const guarantee *g = &s->guarantees[k];
        fputs("  - id: ", f);
        quoted(f, g->id);
        fputc('\n', f);
        text_field(f, "    ", "label", g->label);
        fputs("    giver: ", f);
        quoted(f, s->parties[g->giver].name);
        fputs("\n    issue: ", f);
        quoted(f, s->issues[g->issue].name);
        fputs("\n    beneficiaries: [", f);
        for (size_t b = 0; b < g->n_beneficiaries; b++) {
            fputs(b ? ", " : "", f);
            quoted(f, s->parties[g->beneficiaries[b]].name);
        }
        fputs("]\n", f);
        text_field(f, "    ", "source", g->source);
    }
    if (s->n_influence)
        fputs("influence:\n", f);
    for (size_t k = 0; k < s->n_influence; k++) {
        const influence *fl = &s->influences[k];
        fputs("  - stakeholder: ", f);
        quoted(f, s->parties[fl->stakeholder].name);
        fputs("\n    principal: ", f);
        quoted(f, s->parties[fl->principal].name);
        fputs("\n    weight: ", f);
        model_number(f, s, UNC_INFLUENCE, 0, 0, (uint32_t)k, fl->weight);
        fputc('\n', f);
        text_field(f, "    ", "source", fl->source);
    }
}

/* The decision rule (docs/scenario-format.md#decision-rules), when one was written. */
static void party_list(FILE *f, const truce_scenario *s, const unsigned char *flags)
{
    fputc('[', f);
    int first = 1;
    for (size_t p = 0; flags && p < s->n_parties; p++)
        if (flags[p]) {
            fputs(first ? "" : ", ", f);
            quoted(f, s->parties[p].name);
            first = 0;
        }
    fputs("]\n", f);
}

static void write_decision(FILE *f, const truce_scenario *s)
{
    if (!s->has_decision)
        return;
    int qm = s->decision_rule == TRUCE_DECISION_QUALIFIED_MAJORITY;
    fprintf(f, "decision:\n  rule: %s\n", qm ? "qualified-majority" : "unanimity");
    if (qm) {
        fprintf(f, "  threshold: %.17g\n", s->decision_threshold);
        if (s->decision_weight) {
            fputs("  weights: {", f);
            int first = 1;
            for (size_t k = 0; k < s->n_bargainers; k++) {
                size_t p = s->bargainers[k];
                fputs(first ? "" : ", ", f);
                quoted(f, s->parties[p].name);
                fprintf(f, ": %.17g", s->decision_weight[p]);
                first = 0;
            }
            fputs("}\n", f);
        }
        if (s->required) {
            fputs("  required: ", f);
            party_list(f, s, s->required);
        }
    }
    if (s->ratifier) {
        fputs("  ratifiers: ", f);
        party_list(f, s, s->ratifier);
    }
    text_field(f, "  ", "source", s->decision_source);
}

/* Side payments (docs/scenario-format.md#side-payments), when declared. */
static void write_side_payments(FILE *f, const truce_scenario *s)
{
    const side_payment *sp = s->side;
    if (!sp)
        return;
    fputs("side_payments:\n  payer: ", f);
    quoted(f, s->parties[sp->payer].name);
    fprintf(f, "\n  budget: %.17g\n", sp->budget);
    text_field(f, "  ", "unit", sp->unit);
    text_field(f, "  ", "source", sp->source);
    fputs("  recipients:\n", f);
    for (size_t k = 0; k < sp->n_recipients; k++) {
        const side_recipient *r = &sp->recipients[k];
        fputs("    - party: ", f);
        quoted(f, s->parties[r->party].name);
        fprintf(f, "\n      rate: %.17g\n      max: %.17g\n", r->rate, r->max);
        text_field(f, "      ", "source", r->source);
    }
}

int truce_scenario_save_yaml(const truce_scenario *given, const char *path, truce_error *err)
{
    error_clear(err);
    if (!given || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    /* numeric issues the native format cannot carry exactly are written as discrete ones */
    const truce_scenario *s;
    truce_scenario *owned;
    if (forms_view(&s, &owned, given, yaml_exact))
        return error_nomem(err);
    /* complete or absent: a temporary file renamed over path at the end */
    atomic_file af;
    int rc = atomic_open(&af, path, err);
    if (rc) {
        truce_scenario_free(owned);
        return rc;
    }
    /* what the native reader would refuse is refused here, rather than written */
    for (size_t i = 0; i < s->n_issues && rc == 0; i++) {
        const issue *is = &s->issues[i];
        const int64_t most = 1000000000000000LL; /* the reader's bound, 1e15 */
        if (is->kind == TRUCE_ISSUE_INTEGER &&
            (is->int_lower < -most || is->int_lower > most || is->int_upper < -most ||
             is->int_upper > most))
            rc = error_set(err, TRUCE_EINVAL, path, 0, is->name,
                           "issue '%s': integer bounds [%lld, %lld] lie beyond +-1e15, which the "
                           "native format cannot hold exactly",
                           is->name, (long long)is->int_lower, (long long)is->int_upper);
    }
    if (rc) {
        atomic_abort(&af);
        truce_scenario_free(owned);
        return rc;
    }
    FILE *f = af.f;
    fputs("# truce native scenario (docs/scenario-format.md)\ntruce: 1\nname: ", f);
    quoted(f, s->name);
    fputc('\n', f);
    text_field(f, "", "description", s->description);
    text_field(f, "", "notes", s->notes);
    if (s->days > 0)
        fprintf(f, "days: %.17g\n", s->days);
    fputs("issues:\n", f);
    for (size_t i = 0; i < s->n_issues; i++) {
        write_issue(f, &s->issues[i]);
        write_attributes(f, s, i);
    }
    fputs("parties:\n", f);
    for (size_t p = 0; p < s->n_parties && rc == 0; p++)
        rc = write_party(f, s, &s->parties[p], err, path);
    if (rc == 0) {
        write_relations(f, s);
        write_constraints(f, s);
        write_decision(f, s);
        write_side_payments(f, s);
    }
    if (rc == 0 && (rc = atomic_finish(&af, err)) == 0)
        rc = atomic_commit(&af, err);
    atomic_abort(&af);
    truce_scenario_free(owned);
    return rc;
}

static int has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    return n > m && strcmp(path + n - m, suffix) == 0;
}

int truce_scenario_load(truce_scenario **out, const char *path, const truce_load_options *opts,
                        truce_error *err)
{
    error_clear(err);
    if (!out || !path)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    struct stat st;
    if (stat(path, &st) != 0)
        return error_set(err, TRUCE_EIO, path, 0, NULL, "no such file or folder");
    if (S_ISDIR(st.st_mode))
        return truce_scenario_load_dir(out, path, opts, err);
    if (has_suffix(path, ".yaml") || has_suffix(path, ".yml"))
        return truce_scenario_load_yaml(out, path, opts, err);
    return error_set(err, TRUCE_EINVAL, path, 0, NULL,
                     "not a scenario: give a GENIUS folder, a .yaml scenario file, or a GENIUS "
                     "domain file followed by its profile files");
}
