/* model.c: opponent models learnt from the opponents' offers: frequency
 * (HardHeaded), Smith frequency, CUHK frequency and the scalable Bayesian
 * model of Hindriks and Tykhonov; all estimate a linear additive utility. */
#include <math.h>
#include <string.h>

#include "anac.h"
#include "expminus.h"

static const char *const names[] = {"none", "frequency", "smith", "cuhk", "bayes"};

int om_kind(const char *name)
{
    for (int k = 0; k < (int)(sizeof names / sizeof names[0]); k++)
        if (!strcmp(name, names[k]))
            return k;
    return -1;
}

const char *om_name(int kind)
{
    return kind >= 0 && kind <= OM_BAYES ? names[kind] : "?";
}

size_t om_bytes(const truce_scenario *s)
{
    return CARVE_ROUND(s->n_issues * sizeof(double)) * 2 +
           3 * CARVE_ROUND(s->total_options * sizeof(double)) +
           CARVE_ROUND(s->n_issues * sizeof(uint32_t)) +
           CARVE_ROUND(s->n_issues * OM_WEIGHT_LEVELS * sizeof(double)) +
           CARVE_ROUND(s->total_options * sizeof(uint32_t)) +
           CARVE_ROUND(s->n_issues * sizeof(uint32_t)) +
           CARVE_ROUND(s->total_options * sizeof(double));
}

/* Value of option x on an issue of k options under the triangle peaked at j
 * (Hindriks and Tykhonov's downhill, uphill and triangular shapes over the
 * options' order: peaks at the ends are the downhill and uphill shapes). */
static double shape(uint32_t j, uint32_t x, uint32_t k)
{
    if (k <= 1)
        return 1;
    uint32_t span = j > k - 1 - j ? j : k - 1 - j;
    double d = x > j ? x - j : j - x;
    return 1 - d / span;
}

/* the weight levels (l + 1) / OM_WEIGHT_LEVELS, divided once (the same values) */
static const double levels[] = {1.0 / 10, 2.0 / 10, 3.0 / 10, 4.0 / 10, 5.0 / 10,
                                6.0 / 10, 7.0 / 10, 8.0 / 10, 9.0 / 10, 10.0 / 10};
_Static_assert(OM_WEIGHT_LEVELS == sizeof levels / sizeof levels[0], "one value per level");

static double level(size_t l)
{
    return levels[l];
}

/* Bayesian: the expected weights (normalised) and option values. An option's value is its
 * expected value over the shape hypotheses, sum_j p_j (1 - |x - j| / span_j): with
 * q_j = p_j / span_j that is sum_j p_j - sum_j q_j |x - j|, whose second sum is kept as two
 * running sums (over the options left of x, each one further away at every step right, and
 * those right of it), so an issue of k options costs O(k), not O(k^2). One issue's option
 * values (its shape probabilities final); q_j is divided once and kept in the scratch array
 * (the model's counts, unused by this model). */
static inline void bayes_expect_values(om *m, size_t i)
{
    const truce_scenario *s = m->s;
    uint32_t k = s->issues[i].n_options, off = s->option_offset[i];
    const double *p = &m->p_shape[off];
    double *v = &m->value[off];
    if (k <= 1) {
        if (k)
            v[0] = p[0];
        return;
    }
    /* v[x] first holds the right-hand sum: sum_{j > x} q_j (j - x) */
    double *q = &m->count[off];
    double all = 0, right = 0, beyond = 0; /* beyond: sum_{j > x} q_j */
    for (uint32_t x = k; x-- > 0;) {
        right += beyond;
        v[x] = right;
        uint32_t span = x > k - 1 - x ? x : k - 1 - x;
        q[x] = p[x] / span;
        beyond += q[x];
        all += p[x];
    }
    double left = 0, before = 0; /* before: sum_{j < x} q_j */
    for (uint32_t x = 0; x < k; x++) {
        left += before;
        v[x] = all - left - v[x];
        before += q[x];
    }
}

/* the issue weights normalised by their total (summed in issue order) */
static inline void bayes_normalise_weights(om *m, double total)
{
    for (size_t i = 0; i < m->ni; i++)
        m->weight[i] = total > 0 ? m->weight[i] / total : 1.0 / (double)m->ni;
}

static void bayes_expect(om *m)
{
    double total = 0;
    for (size_t i = 0; i < m->ni; i++) {
        double e = 0;
        for (size_t l = 0; l < OM_WEIGHT_LEVELS; l++)
            e += m->p_weight[i * OM_WEIGHT_LEVELS + l] * level(l);
        m->weight[i] = e;
        total += e;
        bayes_expect_values(m, i);
    }
    bayes_normalise_weights(m, total);
}

void om_init(om *m, int kind, const truce_scenario *s, char **cursor)
{
    m->kind = kind;
    m->s = s;
    m->ni = s->n_issues;
    m->offers = 0;
    m->weight = carve(cursor, m->ni * sizeof *m->weight);
    m->value = carve(cursor, s->total_options * sizeof *m->value);
    m->count = carve(cursor, s->total_options * sizeof *m->count);
    m->p_shape = carve(cursor, s->total_options * sizeof *m->p_shape);
    m->last = carve(cursor, m->ni * sizeof *m->last);
    m->p_weight = carve(cursor, m->ni * OM_WEIGHT_LEVELS * sizeof *m->p_weight);
    m->top = carve(cursor, m->ni * sizeof *m->top);
    m->counted = carve(cursor, s->total_options * sizeof *m->counted);
    m->n_counted = carve(cursor, m->ni * sizeof *m->n_counted);
    m->product = carve(cursor, s->total_options * sizeof *m->product);
    m->products = kind == OM_CUHK;
    for (size_t i = 0; i < m->ni; i++) {
        m->weight[i] = 1.0 / (double)m->ni;
        uint32_t k = s->issues[i].n_options, off = s->option_offset[i];
        for (uint32_t x = 0; x < k; x++) {
            /* HardHeaded starts every option's count at 1 */
            m->count[off + x] = kind == OM_FREQUENCY ? 1 : 0;
            m->value[off + x] = 1;
            m->p_shape[off + x] = 1.0 / k;
            m->product[off + x] = m->weight[i] * m->value[off + x];
        }
        for (size_t l = 0; l < OM_WEIGHT_LEVELS; l++)
            m->p_weight[i * OM_WEIGHT_LEVELS + l] = 1.0 / OM_WEIGHT_LEVELS;
        m->top[i] = kind == OM_FREQUENCY ? 1 : 0;
        m->n_counted[i] = 0;
    }
    if (kind == OM_BAYES)
        bayes_expect(m);
}

/* Count one offered option of every issue and keep the option values (count relative to the
 * issue's most frequent option: 1 for all before any count) up to date. Only the offered
 * option's value changes unless its count becomes the issue's new highest, when the issue's
 * values are divided anew: the same values as recomputing every issue, at a fraction of the
 * work. Counting from 0 (Smith, CUHK), each issue lists the options offered so far (counted,
 * in the order first offered), so that a new highest count divides only theirs: the others stay
 * 0 (0 / c). With products (CUHK: constant weights) every value written has its product with
 * the issue's weight written too. */
#if defined(__clang__)
#define SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")
#else
#define SCALAR_LOOP
#endif

static void count_offer(om *m, const uint32_t *o)
{
    const truce_scenario *s = m->s;
    int from_zero = m->kind != OM_FREQUENCY;
    /* read once: the stores below are of doubles, which the compiler takes for the model's */
    double *restrict value = m->value, *restrict count = m->count, *restrict top = m->top;
    double *restrict product = m->products ? m->product : NULL;
    const double *weight = m->weight;
    uint32_t *restrict counted = m->counted, *restrict n_counted = m->n_counted;
    for (size_t i = 0; i < m->ni; i++) {
        uint32_t off = s->option_offset[i], x = off + o[i];
        double c = count[x] += 1, was = top[i];
        if (from_zero && c == 1)
            counted[off + n_counted[i]++] = o[i];
        if (!(c > was)) {
            value[x] = c / was;
            if (product)
                product[x] = weight[i] * value[x];
            continue;
        }
        top[i] = c;
        uint32_t k = s->issues[i].n_options, n = n_counted[i];
        const uint32_t *list = counted + off;
        if (!from_zero || was == 0) {
            /* counts from 1, or the issue's first count from 0: every value anew, a plain loop
             * (clang's vectorised one, with its checks and remainder, took about 56 instructions
             * for the few options of an issue) */
            double *v = value + off;
            const double *n_of = count + off;
            SCALAR_LOOP
            for (uint32_t y = 0; y < k; y++)
                v[y] = n_of[y] / c;
            if (product)
                for (uint32_t y = off; y < off + k; y++)
                    product[y] = weight[i] * value[y];
            continue;
        }
        for (uint32_t j = 0; j < n; j++) {
            uint32_t y = off + list[j];
            value[y] = count[y] / c;
            if (product)
                product[y] = weight[i] * value[y];
        }
    }
}

/* count_offer for the frequency model (counts from 1, no products): the same counts and values,
 * with the kind's branches and the product stores left out (the general loop kept its many
 * pointers on the stack), and the issue's rescale two options a step (the same divisions). */
static void count_offer_frequency(om *m, const uint32_t *o)
{
    const uint32_t *option_offset = m->s->option_offset;
    const issue *issues = m->s->issues;
    double *restrict value = m->value, *restrict count = m->count, *restrict top = m->top;
    for (size_t i = 0; i < m->ni; i++) {
        uint32_t off = option_offset[i], x = off + o[i];
        double c = count[x] += 1, was = top[i];
        if (!(c > was)) {
            value[x] = c / was;
            continue;
        }
        top[i] = c;
        uint32_t k = issues[i].n_options, y = 0;
        double *v = value + off;
        const double *n_of = count + off;
        SCALAR_LOOP
        for (; y + 1 < k; y += 2) {
            v[y] = n_of[y] / c;
            v[y + 1] = n_of[y + 1] / c;
        }
        if (y < k)
            v[y] = n_of[y] / c;
    }
}

/* HardHeaded: from the second offer on, every issue whose option did not change gains
 * 0.2 / n_issues of weight before renormalising; each offered option's count grows by 1. */
static void frequency_observe(om *m, const uint32_t *o)
{
    if (m->offers > 1) {
        double golden = 0.2 / (double)m->ni, total = 0, *restrict weight = m->weight;
        for (size_t i = 0; i < m->ni; i++) {
            if (o[i] == m->last[i])
                weight[i] += golden;
            total += weight[i];
        }
        /* a plain loop, as in count_offer */
        SCALAR_LOOP
        for (size_t i = 0; i < m->ni; i++)
            weight[i] /= total;
    }
    count_offer_frequency(m, o);
}

/* Smith and CUHK: option counts; Smith weighs an issue by how often its most frequent
 * option comes back, CUHK keeps equal weights (it scores bids by summed frequencies). */
static void count_observe(om *m, const uint32_t *o)
{
    count_offer(m, o);
    if (m->kind != OM_SMITH)
        return;
    double total = 0;
    for (size_t i = 0; i < m->ni; i++) {
        m->weight[i] = m->top[i];
        total += m->top[i];
    }
    for (size_t i = 0; i < m->ni; i++)
        m->weight[i] = total > 0 ? m->weight[i] / total : 1.0 / (double)m->ni;
}

/* Bayesian update (Hindriks and Tykhonov 2008, scalable form): the opponent is assumed to
 * offer bids worth about 1 - 0.2 t to itself (sigma 0.15); each issue's hypotheses are
 * updated in turn with the other issues at their expected weight and value. */
#define BAYES_SIGMA 0.15

/* shape()'s values for issues of up to SHAPE_K options: shape_rows[k][x][j] = shape(j, x, k),
 * the same divisions done by the compiler (a constant expression is rounded as at run time),
 * so that the update reads an offered option's row instead of dividing (entries beyond k: 1) */
#define SHAPE_K 12
#define SPAN(k, j) ((j) > (k) - 1 - (j) ? (j) : (k) - 1 - (j))
#define SV(k, x, j)                                                                                \
    ((k) > 1 && (j) < (k) && (x) < (k)                                                             \
         ? 1 - (double)((x) > (j) ? (x) - (j) : (j) - (x)) / (double)SPAN(k, j)                    \
         : 1)
#define SROW(k, x)                                                                                 \
    {SV(k, x, 0), SV(k, x, 1), SV(k, x, 2), SV(k, x, 3), SV(k, x, 4),  SV(k, x, 5),                \
     SV(k, x, 6), SV(k, x, 7), SV(k, x, 8), SV(k, x, 9), SV(k, x, 10), SV(k, x, 11)}
#define SROWS(k)                                                                                   \
    {SROW(k, 0), SROW(k, 1), SROW(k, 2), SROW(k, 3), SROW(k, 4),  SROW(k, 5),                      \
     SROW(k, 6), SROW(k, 7), SROW(k, 8), SROW(k, 9), SROW(k, 10), SROW(k, 11)}
static const double shape_rows[SHAPE_K + 1][SHAPE_K][SHAPE_K] = {
    SROWS(0), SROWS(1), SROWS(2), SROWS(3),  SROWS(4),  SROWS(5), SROWS(6),
    SROWS(7), SROWS(8), SROWS(9), SROWS(10), SROWS(11), SROWS(12)};
#undef SROWS
#undef SROW
#undef SV
#undef SPAN

static void bayes_observe(om *m, const uint32_t *o, double t)
{
    const truce_scenario *s = m->s;
    const uint32_t *option_offset = s->option_offset;
    double *weight = m->weight, *value = m->value;
    size_t ni = m->ni;
    double expected = 1 - 0.2 * t, two_var = 2 * BAYES_SIGMA * BAYES_SIGMA;
    /* the sums over the issues before i, added in issue order: the weights and values read do
     * not change until the issue's own update is done (then nothing reads them again), so
     * each issue's sums over the others continue these (the same additions in the same order
     * as summing every other issue afresh) */
    double w_before = 0, rest_before = 0, w_total = 0;
    for (size_t i = 0; i < ni; i++) {
        /* the other issues' weighted mean value under the current estimates */
        double w_other = w_before, rest = rest_before;
        for (size_t j = i + 1; j < ni; j++) {
            w_other += weight[j];
            rest += weight[j] * value[option_offset[j] + o[j]];
        }
        w_before += weight[i];
        rest_before += weight[i] * value[option_offset[i] + o[i]];
        rest = w_other > 0 ? rest / w_other : 0;
        double share = ni > 1 ? weight[i] : 1;
        uint32_t k = s->issues[i].n_options, off = option_offset[i];
        /* value shapes (each shape's value of the offered option kept for the mean below).
         * Every shape whose far end is the offered option values it 0 (about half of them
         * when an end option is offered): their common likelihood is computed once. */
        double total = 0, buffer[256], like_zero = -1, others = (1 - share) * rest;
        double *ps = &m->p_shape[off];
        uint32_t x = o[i];
        /* the shapes' values of x: the table's row, else divided here (kept when there is room) */
        const double *at = NULL;
        if (k <= SHAPE_K) {
            at = shape_rows[k][x];
        } else if (k <= 256) {
            for (uint32_t j = 0; j < k; j++)
                buffer[j] = shape(j, x, k);
            at = buffer;
        }
        for (uint32_t j = 0; j < k; j++) {
            double sj = at ? at[j] : shape(j, x, k);
            double u = share * sj + others, like;
            if (sj != 0) {
                like = exp_minus((u - expected) * (u - expected) / two_var);
            } else {
                if (like_zero < 0)
                    like_zero = exp_minus((u - expected) * (u - expected) / two_var);
                like = like_zero;
            }
            double p = ps[j] * like;
            ps[j] = p;
            total += p;
        }
        /* normalise, take the mean shape value of the offered option, then keep every
         * hypothesis alive (at least 1e-6), so the model can still move */
        double v = 0;
        for (uint32_t j = 0; j < k; j++) {
            double p = total > 1e-300 ? ps[j] / total : 1.0 / k;
            v += p * (at ? at[j] : shape(j, x, k));
            ps[j] = p < 1e-6 ? 1e-6 : p;
        }
        /* weight levels: the issue's share of the total weight */
        total = 0;
        double *pw = &m->p_weight[i * OM_WEIGHT_LEVELS];
        /* level l's likelihood exp(-d_l^2 / 2 sigma^2), with d_l = u_l - expected, u_l =
         * level_l v + (1 - level_l) rest = rest + (l + 1) step: d is linear in l, so each
         * likelihood is the one before times a ratio exp(-step (2 d_l + step) / 2 sigma^2),
         * and each ratio the one before times exp(-2 step^2 / 2 sigma^2): three exponentials
         * per issue instead of one per level (the same values to within a few ulp) */
        double step = ni > 1 ? (v - rest) / OM_WEIGHT_LEVELS : 0;
        double d = (ni > 1 ? rest : v) + step - expected;
        double like = exp_minus(d * d / two_var);
        double ratio = exp(-step * (2 * d + step) / two_var),
               next = exp(-2 * step * step / two_var);
        for (size_t l = 0; l < OM_WEIGHT_LEVELS; l++) {
            double p = pw[l] * like;
            pw[l] = p;
            total += p;
            like *= ratio;
            ratio *= next;
        }
        /* normalised and floored, and the issue's expected weight (bayes_expect's sum) */
        double e = 0;
        for (size_t l = 0; l < OM_WEIGHT_LEVELS; l++) {
            double p = total > 1e-300 ? pw[l] / total : 1.0 / OM_WEIGHT_LEVELS;
            pw[l] = p < 1e-6 ? 1e-6 : p;
            e += pw[l] * level(l);
        }
        /* the issue's part of bayes_expect, done here: its hypotheses are final, and no later
         * issue reads its old weight or values (their sums over it were taken above) */
        weight[i] = e;
        w_total += e;
        bayes_expect_values(m, i);
    }
    bayes_normalise_weights(m, w_total);
}

void om_observe(om *m, const uint32_t *o, double t)
{
    if (m->kind == OM_NONE)
        return;
    m->offers++;
    if (m->kind == OM_FREQUENCY)
        frequency_observe(m, o);
    else if (m->kind == OM_BAYES)
        bayes_observe(m, o, t);
    else
        count_observe(m, o);
    memcpy(m->last, o, m->ni * sizeof *m->last);
}

double om_utility(const om *m, const uint32_t *o)
{
    if (m->kind == OM_NONE)
        return 0.5;
    double u = 0;
    for (size_t i = 0; i < m->ni; i++)
        u += m->weight[i] * m->value[m->s->option_offset[i] + o[i]];
    return u;
}

size_t opp_models_bytes(const truce_scenario *s)
{
    return (s->n_parties < OPP_MODELS ? s->n_parties : OPP_MODELS) * om_bytes(s);
}

void opp_models_init(opp_models *o, const truce_scenario *s, char **cursor)
{
    o->n = s->n_parties < OPP_MODELS ? s->n_parties : OPP_MODELS;
    for (size_t k = 0; k < o->n; k++)
        om_init(&o->m[k], OM_FREQUENCY, s, cursor);
}

size_t opp_models_observe(opp_models *o, size_t self, const truce_event *ev)
{
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == self || !ev->offer || !o->n)
        return OPP_MODELS;
    size_t k = ev->actor % o->n;
    om_observe(&o->m[k], ev->offer, ev->time);
    return k;
}
