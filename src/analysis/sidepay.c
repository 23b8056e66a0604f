/* sidepay.c: side payments (docs/scenario-format.md#side-payments): what transfer a deal
 * needs, the Nash transfer of a deal, and the zone and Nash point with transfers. */
#include "sidepay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "model.h"

/* Amounts within this much of a budget or a cap are within it (decimal amounts
 * written by a person: 0.1 + 0.2 is not above 0.3). */
#define SIDEPAY_SLACK(v) (1e-9 * (1 + fabs(v)))

/* The recipient entry of bargainer position k, or -1. */
static long recipient_of(const truce_scenario *s, size_t k)
{
    for (size_t j = 0; j < s->side->n_recipients; j++)
        if (s->side->recipients[j].party == s->bargainers[k])
            return (long)j;
    return -1;
}

double sidepay_need(const truce_scenario *s, const double *gain, double *x, int *opens)
{
    const side_payment *sp = s->side;
    for (size_t j = 0; j < sp->n_recipients; j++)
        x[j] = 0;
    double total = 0;
    int all_gain = 1;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        if (gain[k] > 0)
            continue;
        all_gain = 0;
        long j = recipient_of(s, k);
        /* strictly more than the reservation value: the need itself is not enough,
         * any amount above it is, so it must lie below the cap */
        double need = j < 0 ? INFINITY : -gain[k] / sp->recipients[j].rate;
        if (!(need < sp->recipients[j < 0 ? 0 : j].max)) {
            *opens = 0;
            return INFINITY;
        }
        x[j] = need;
        total += need;
    }
    *opens = all_gain || total < sp->budget;
    return total;
}

/* Bargainer k's exponent in the product: its power when the powers differ, else 1. */
static double power_at(const truce_scenario *s, size_t k)
{
    return s->bargainer_power ? s->bargainer_power[k] : 1;
}

/* The total paid at water level mu: recipient j gets clamp(w mu - g/rate, 0, max). */
static double paid_at(const truce_scenario *s, const double *gain, double mu, double *x)
{
    const side_payment *sp = s->side;
    double total = 0;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        long j = recipient_of(s, k);
        if (j < 0)
            continue;
        const side_recipient *r = &sp->recipients[j];
        double v = power_at(s, k) * mu - gain[k] / r->rate;
        v = v < 0 ? 0 : v > r->max ? r->max : v;
        if (x)
            x[j] = v;
        total += v;
    }
    return total;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Maximising sum_k w_k log(g_k + rate_k x_k) over 0 <= x_k <= max_k, sum x_k <= budget:
 * the objective grows with every x_k, so the budget is spent (or every cap reached); at the
 * optimum (Karush-Kuhn-Tucker) each recipient below its cap and above 0 has the same
 * marginal w_k rate_k / (g_k + rate_k x_k) = 1/mu, that is x_k = clamp(w_k mu - g_k/rate_k,
 * 0, max_k) ("water filling"), and the total paid is piecewise linear and nondecreasing in
 * mu: the level that spends the budget is found exactly between two of its breakpoints. */
double sidepay_nash(const truce_scenario *s, const double *gain, double *x, double *scratch)
{
    const side_payment *sp = s->side;
    size_t nb = s->n_bargainers, nr = sp->n_recipients, n = 0;
    double caps = 0, *bp = scratch;
    for (size_t k = 0; k < nb; k++) {
        long j = recipient_of(s, k);
        if (j < 0)
            continue;
        const side_recipient *r = &sp->recipients[j];
        double a = gain[k] / r->rate, w = power_at(s, k);
        caps += r->max;
        if (a / w > 0)
            bp[n++] = a / w;
        if ((a + r->max) / w > 0)
            bp[n++] = (a + r->max) / w;
    }
    for (size_t j = 0; j < nr; j++)
        x[j] = 0;
    if (caps <= sp->budget) {
        for (size_t j = 0; j < nr; j++)
            x[j] = sp->recipients[j].max;
    } else {
        qsort(bp, n, sizeof *bp, by_value);
        double prev = 0, paid_prev = paid_at(s, gain, 0, NULL), mu = 0;
        for (size_t b = 0; b < n && paid_prev < sp->budget; b++) {
            double paid = paid_at(s, gain, bp[b], NULL);
            if (paid >= sp->budget) {
                mu = prev + (sp->budget - paid_prev) * (bp[b] - prev) / (paid - paid_prev);
                break;
            }
            prev = bp[b], paid_prev = paid;
        }
        paid_at(s, gain, mu, x);
    }
    double product = 1;
    for (size_t k = 0; k < nb; k++) {
        long j = recipient_of(s, k);
        double lifted = gain[k] + (j < 0 ? 0 : sp->recipients[j].rate * x[j]);
        if (!(lifted > 0))
            return -1;
        product *= s->bargainer_power ? pow(lifted, power_at(s, k)) : lifted;
    }
    return product;
}

/* {recipient: amount} and the total. */
static json_t *transfer_json(const truce_scenario *s, const double *x, double *total)
{
    json_t *j = json_object();
    double sum = 0;
    for (size_t r = 0; r < s->side->n_recipients; r++) {
        json_object_set_new(j, s->parties[s->side->recipients[r].party].name, json_real(x[r]));
        sum += x[r];
    }
    *total = sum;
    return j;
}

/* Each bargainer's utility with the transfer: u + rate * x. */
static json_t *lifted_json(const truce_scenario *s, const uint32_t *o, const double *x)
{
    json_t *j = json_object();
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        long r = recipient_of(s, k);
        double u = party_utility(s, &s->parties[p], o);
        json_object_set_new(j, s->parties[p].name,
                            json_real(u + (r < 0 ? 0 : s->side->recipients[r].rate * x[r])));
    }
    return j;
}

static json_t *side_deal_json(const truce_scenario *s, const uint32_t *o, const double *x,
                              const char *criterion)
{
    json_t *deal = model_deal_json(s, o, criterion);
    double total;
    json_object_set_new(deal, "transfer", transfer_json(s, x, &total));
    json_object_set_new(deal, "total", json_real(total));
    json_object_set_new(deal, "with_transfer", lifted_json(s, o, x));
    return deal;
}

/* The declared side payments: payer, budget, unit, recipients. */
static json_t *declared_json(const truce_scenario *s)
{
    const side_payment *sp = s->side;
    json_t *j = json_object(), *list = json_array();
    json_object_set_new(j, "payer", json_string(s->parties[sp->payer].name));
    json_object_set_new(j, "budget", json_real(sp->budget));
    if (sp->unit)
        json_object_set_new(j, "unit", json_string(sp->unit));
    for (size_t r = 0; r < sp->n_recipients; r++)
        json_array_append_new(list, json_pack("{s:s,s:f,s:f}", "party",
                                              s->parties[sp->recipients[r].party].name, "rate",
                                              sp->recipients[r].rate, "max", sp->recipients[r].max));
    json_object_set_new(j, "recipients", list);
    if (sp->source)
        json_object_set_new(j, "source", json_string(sp->source));
    return j;
}

static const char *const cheapest_criterion =
    "cheapest transfer: among feasible outcomes, the smallest total that lifts every principal "
    "to its reservation value (each recipient's need (r - u) / rate; any amount above it makes "
    "each strictly better than no deal), whatever the budget; ties: the first outcome in "
    "enumeration order";
static const char *const nash_criterion =
    "nash with transfers: among feasible outcomes some transfer within the caps and the budget "
    "makes individually rational, the outcome and transfer with the largest product of the "
    "principals' gains u + rate * x - r (each raised to its bargaining power when the powers "
    "differ); ties: the first outcome in enumeration order";

typedef struct sweep {
    uint64_t rational, opened;
    int has_cheapest, has_nash;
    double cheapest, nash;
    uint32_t *o, *cheapest_at, *nash_at;
    double *gain, *x, *cheapest_x, *nash_x, *scratch;
} sweep;

static void sweep_outcome(const truce_scenario *s, const double *r, sweep *w)
{
    int all_gain = 1, opens = 0;
    size_t nr = s->side->n_recipients;
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        w->gain[k] = party_utility(s, &s->parties[p], w->o) - r[p];
        all_gain &= w->gain[k] > 0;
    }
    w->rational += (uint64_t)all_gain;
    double need = sidepay_need(s, w->gain, w->x, &opens);
    if (isfinite(need) && (!w->has_cheapest || need < w->cheapest)) {
        w->has_cheapest = 1, w->cheapest = need;
        memcpy(w->cheapest_at, w->o, s->n_issues * sizeof *w->o);
        memcpy(w->cheapest_x, w->x, nr * sizeof *w->x);
    }
    if (!opens)
        return;
    w->opened++;
    double product = sidepay_nash(s, w->gain, w->x, w->scratch);
    if (product > 0 && (!w->has_nash || product > w->nash)) {
        w->has_nash = 1, w->nash = product;
        memcpy(w->nash_at, w->o, s->n_issues * sizeof *w->o);
        memcpy(w->nash_x, w->x, nr * sizeof *w->x);
    }
}

static json_t *sweep_json(const truce_scenario *s, const sweep *w, double t, uint64_t feasible)
{
    json_t *doc = declared_json(s);
    json_object_set_new(doc, "time", json_real(t));
    json_object_set_new(doc, "feasible", json_integer((json_int_t)feasible));
    json_object_set_new(doc, "rational_without", json_integer((json_int_t)w->rational));
    json_object_set_new(doc, "rational_with", json_integer((json_int_t)w->opened));
    json_object_set_new(doc, "empty_without", json_boolean(w->rational == 0));
    json_object_set_new(doc, "empty_with", json_boolean(w->opened == 0));
    json_object_set_new(doc, "opens_zone", json_boolean(w->rational == 0 && w->opened > 0));
    json_t *cheapest = json_null();
    if (w->rational == 0 && w->has_cheapest) {
        cheapest = side_deal_json(s, w->cheapest_at, w->cheapest_x, cheapest_criterion);
        json_object_set_new(cheapest, "within_budget",
                            json_boolean(w->cheapest < s->side->budget));
    }
    json_object_set_new(doc, "cheapest", cheapest);
    json_t *nash = json_null();
    if (w->has_nash) {
        nash = side_deal_json(s, w->nash_at, w->nash_x, nash_criterion);
        json_object_set_new(nash, "value", json_real(w->nash));
    }
    json_object_set_new(doc, "nash", nash);
    return doc;
}

int model_side_payments(const truce_scenario *s, const truce_check_options *opt, json_t **out,
                        truce_error *err)
{
    uint64_t n = 0;
    int rc = model_enumerable(s, opt->max_outcomes, "the zone with side payments", &n, err);
    if (rc)
        return rc;
    size_t ni = s->n_issues ? s->n_issues : 1, nb = s->n_bargainers ? s->n_bargainers : 1;
    size_t nr = s->side->n_recipients, np = s->n_parties ? s->n_parties : 1;
    sweep w;
    memset(&w, 0, sizeof w);
    w.o = calloc(ni, sizeof *w.o);
    w.cheapest_at = calloc(ni, sizeof *w.cheapest_at);
    w.nash_at = calloc(ni, sizeof *w.nash_at);
    w.gain = calloc(nb, sizeof *w.gain);
    w.x = calloc(nr, sizeof *w.x);
    w.cheapest_x = calloc(nr, sizeof *w.cheapest_x);
    w.nash_x = calloc(nr, sizeof *w.nash_x);
    w.scratch = calloc(2 * nb + 1, sizeof *w.scratch);
    double *r = calloc(np, sizeof *r);
    json_t *doc = NULL;
    if (w.o && w.cheapest_at && w.nash_at && w.gain && w.x && w.cheapest_x && w.nash_x &&
        w.scratch && r) {
        for (size_t p = 0; p < s->n_parties; p++)
            r[p] = party_reservation_at(&s->parties[p], opt->time);
        uint64_t feasible = 0;
        for (uint64_t k = 0; k < n; k++) {
            model_decode(s, k, w.o);
            if (!scenario_feasible(s, w.o))
                continue;
            feasible++;
            sweep_outcome(s, r, &w);
        }
        doc = sweep_json(s, &w, opt->time, feasible);
    }
    free(w.o), free(w.cheapest_at), free(w.nash_at), free(w.gain), free(w.x);
    free(w.cheapest_x), free(w.nash_x), free(w.scratch), free(r);
    if (!doc)
        return error_nomem(err);
    *out = doc;
    return 0;
}

/* What the given transfer does: each principal's utility lifted, who accepts. */
static json_t *given_json(const truce_scenario *s, const uint32_t *o, const double *transfer,
                          double t, int feasible)
{
    const side_payment *sp = s->side;
    json_t *j = json_object(), *amounts = json_object(), *parties = json_array();
    double total = 0;
    int caps = 1, all = feasible;
    for (size_t r = 0; r < sp->n_recipients; r++) {
        double x = transfer[sp->recipients[r].party];
        json_object_set_new(amounts, s->parties[sp->recipients[r].party].name, json_real(x));
        total += x;
        caps &= x <= sp->recipients[r].max + SIDEPAY_SLACK(sp->recipients[r].max);
    }
    int budget = total <= sp->budget + SIDEPAY_SLACK(sp->budget);
    for (size_t k = 0; k < s->n_bargainers; k++) {
        size_t p = s->bargainers[k];
        long r = recipient_of(s, k);
        double u = party_utility(s, &s->parties[p], o), res = party_reservation_at(&s->parties[p], t);
        double value = r < 0 ? 0 : sp->recipients[r].rate * transfer[p];
        int accepts = party_violates(&s->parties[p], o) < 0 && u + value > res;
        all &= accepts;
        json_array_append_new(parties, json_pack("{s:s,s:f,s:f,s:f,s:f,s:b}", "party",
                                                 s->parties[p].name, "utility", u, "transfer_value",
                                                 value, "with_transfer", u + value, "reservation",
                                                 res, "accepts", accepts));
    }
    json_object_set_new(j, "transfer", amounts);
    json_object_set_new(j, "total", json_real(total));
    json_object_set_new(j, "within_budget", json_boolean(budget));
    json_object_set_new(j, "within_caps", json_boolean(caps));
    json_object_set_new(j, "principals", parties);
    json_object_set_new(j, "individually_rational", json_boolean(all && budget && caps));
    return j;
}

json_t *sidepay_evaluate_json(const truce_scenario *s, const uint32_t *o, const double *transfer,
                              double t)
{
    size_t nb = s->n_bargainers ? s->n_bargainers : 1, nr = s->side->n_recipients;
    double *gain = calloc(nb, sizeof *gain), *x = calloc(nr, sizeof *x);
    json_t *doc = NULL;
    if (gain && x) {
        for (size_t k = 0; k < s->n_bargainers; k++) {
            const party *p = &s->parties[s->bargainers[k]];
            gain[k] = party_utility(s, p, o) - party_reservation_at(p, t);
        }
        int opens = 0, feasible = scenario_feasible(s, o);
        double need = sidepay_need(s, gain, x, &opens), total;
        doc = declared_json(s);
        json_t *needed = json_object();
        if (!feasible) {
            json_object_set_new(needed, "total", json_null());
            json_object_set_new(needed, "why",
                                json_string("the deal breaks a principal's hard condition or a "
                                            "scenario constraint: no transfer buys a red line"));
        } else if (!isfinite(need)) {
            json_object_set_new(needed, "total", json_null());
            json_object_set_new(needed, "why",
                                json_string("a principal below its reservation value receives "
                                            "nothing, or needs at least its cap"));
        } else {
            json_object_set_new(needed, "transfer", transfer_json(s, x, &total));
            json_object_set_new(needed, "total", json_real(need));
        }
        json_object_set_new(needed, "possible", json_boolean(feasible && opens));
        json_object_set_new(doc, "needed", needed);
        if (transfer)
            json_object_set_new(doc, "given", given_json(s, o, transfer, t, feasible));
    }
    free(gain), free(x);
    return doc;
}

/* ---- public accessors ---- */

int truce_scenario_has_side_payments(const truce_scenario *s)
{
    return s && s->side ? 1 : 0;
}

long truce_side_payment_payer(const truce_scenario *s)
{
    return s && s->side ? (long)s->side->payer : -1;
}

double truce_side_payment_budget(const truce_scenario *s)
{
    return s && s->side ? s->side->budget : NAN;
}
