/* iamhaggler2011.c: IAMhaggler2011 (ANAC 2011, third). Williams, Robu,
 * Gerding and Jennings (2013), "IAMhaggler2011: a Gaussian process
 * regression based negotiation agent", Complex Automated Negotiations, SCI
 * 435, Springer, pp. 209-212; the strategy is the one of "Using Gaussian
 * processes to optimise concession in complex negotiations against unknown
 * opponents", IJCAI 2011, pp. 432-438.
 *
 * From the papers (the constants, 36 windows, the 0.9 trend, the risk
 * exponent 3, 1 - t/2, 1.02 and 0.9, from how the agent GENIUS 10.4 ships
 * behaves): time is cut into 36 windows; the best utility (to the
 * agent) the opponent offered in each finished window is the data of a
 * Gaussian process regression over time (Matern 3/2 plus noise), around a
 * prior trend from the first window's value toward 0.9 at the deadline,
 * which predicts, with its uncertainty, what the opponent will offer later.
 * The agent values a utility u risk-seekingly as u^3, discounted (d^t).
 * From the prediction it takes the time t* at which the opponent's offer
 * is worth most to it in expectation, and at t* the utility u* that
 * maximises u*^3 d^t* times the probability that the opponent offers at
 * least u* by then; it then concedes in a straight line from its current
 * target toward (t*, u*), recomputed at each turn (the plan at each new
 * window). In the first window it concedes slowly, Umax (1 - t/2). It
 * offers random bids within 0.025 of its target, offers the best bid
 * received once its target falls to it, and accepts an offer when 1.02
 * times its utility reaches its last bid's, or it is worth 0.9 Umax (the
 * maximum aspiration).
 * Choices: fixed kernel hyperparameters (length scale 0.25, variance 0.04,
 * noise variance 1e-4) where the agent integrates over priors; the time
 * samples are the centres of the windows still to come and the utility
 * samples 50 bands of width 0.02 over [0, 1], ties going to the later time
 * and the higher utility (without a discount, waiting costs nothing); the
 * target never falls below max(reservation, best offer received); it also
 * accepts an offer worth its target. Probabilities more than six scaled
 * deviations (z = (u - mu) / (sd sqrt 2)) from the mean are taken as 0 or 1,
 * and erfc between is interpolated in a table (error below 7e-10, see upper_x).
 * For speed, with the same numbers: the table and the kernel are written at build time
 * (iamhaggler2011_gen.c), and a plan sums the bands only for the windows whose bounds show
 * they can hold the best value (see column_bounds). */
#include <math.h>
#include <string.h>

#include "anac.h"
#include "expminus.h"
#include "iamhaggler2011_grid.h"
/* haggler_erfc_tab, haggler_kern, haggler_band_lo, haggler_band_cube: constants written at
 * build time by iamhaggler2011_gen.c (see there) */
#include "iamhaggler2011_tables.inc"

typedef struct haggler11 {
    core c;
    double win_max[GP_WINDOWS]; /* best utility received per window; -1 when none */
    size_t planned_at;          /* window of the last plan; GP_WINDOWS + 1 before any */
    double from_t;              /* the time the target was last set */
    double to_t, to_u;          /* the plan: reach u* at t* */
    double target;
    /* the fit, kept between plans: the data only ever grows by windows appended at the end
     * (a finished window's best offer no longer changes), and every value below for the
     * first n points depends on those points only, so each plan extends them with the same
     * operations in the same order as a fit from scratch (the same bits) */
    size_t fit_n;                     /* points fitted */
    size_t fit_at[GP_WINDOWS];        /* their windows */
    double fit_y[GP_WINDOWS];         /* their values */
    double L[GP_WINDOWS][GP_WINDOWS]; /* Cholesky factor of K + noise I */
    double fwd[GP_WINDOWS];           /* L^-1 (y - trend) */
    size_t v_n[GP_WINDOWS];           /* per window w: points of v done */
    double v[GP_WINDOWS][GP_WINDOWS]; /* L^-1 k(w, data) */
    double var[GP_WINDOWS];           /* k(w, w) + noise - |v|^2 over those points */
    /* the discount factor at each window's centre, filled at the first plan (disc[0] < 0
     * before) */
    double disc[GP_WINDOWS];
} haggler11;

static int haggler11_init(void *state, const truce_agent_setup *setup, truce_error *err,
                          void *payload)
{
    haggler11 *a = state;
    int rc =
        anac_start(&a->c, setup, "iamhaggler2011", *(const size_t *)payload, OM_NONE, NULL, 0, err);
    for (size_t k = 0; k < GP_WINDOWS; k++)
        a->win_max[k] = -1;
    a->planned_at = GP_WINDOWS + 1;
    a->target = a->c.b.umax;
    a->fit_n = 0;
    a->disc[0] = -1;
    for (size_t w = 0; w < GP_WINDOWS; w++)
        a->v_n[w] = 0;
    return rc;
}

static size_t window_of(double t)
{
    size_t k = t > 0 ? (size_t)(t * GP_WINDOWS) : 0;
    return k >= GP_WINDOWS ? GP_WINDOWS - 1 : k;
}

/* kernel between the centres of windows i and j (Matern 3/2, length scale 0.25, variance
 * 0.04; the table is iamhaggler2011_gen.c's) */
static inline double kernel_at(size_t i, size_t j)
{
    return haggler_kern[i][j];
}

/* erfc(z) / 2 for x = ERFC_STEPS z in [0, XMAX], from the table: cubic Hermite interpolation
 * between neighbouring points j / ERFC_STEPS (values and derivatives -2/sqrt(pi) e^-z^2), an
 * error below 7e-10 (4e-6 relative to erfc(z) at z = 6), in about a dozen instructions where
 * libm's erfc takes about 110. The table holds the cubics' coefficients halved (which changes
 * no bit: halving is exact) and, past the last one, its value at z = 6 as a constant. */
static inline double erfc_half(const double (*tab)[4], double x)
{
    int j = (int)x;
    double s = x - j;
    const double *c = tab[j];
    return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
}

/* The probability that a normal variable exceeds its mean by more than z sqrt(2) deviations,
 * erfc(z) / 2, for x = ERFC_STEPS z (the callers fold the power of two into their scale, which
 * changes no bit either); beyond six deviations the answer is 0 or 1 to within 1e-17. A plan
 * asks it twice per window to come (column_bounds) and up to 51 times per window summed band
 * by band (column). */
static inline double upper_x(const double (*tab)[4], double x)
{
    if (x > XMAX)
        return 0;
    if (x < -XMAX)
        return 1;
    return x < 0 ? 1 - erfc_half(tab, -x) : erfc_half(tab, x);
}

void iamhaggler2011_upper(const double *z, double *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = upper_x(haggler_erfc_tab, z[i] * ERFC_STEPS);
}

/* the discount factor at each window's centre, at the first plan */
static void disc_fill(haggler11 *a)
{
    for (size_t w = 0; w < GP_WINDOWS; w++)
        a->disc[w] = base_discounted(&a->c.b, 1, haggler_centre(w));
}

/* What the opponent's offer at a window is worth in expectation, before the discount: each
 * band's probability (that of an offer of at least its lower end, z = (u - mu) / (sd sqrt 2),
 * less that of the band above) times its risk-seeking value u^3; cx = ERFC_STEPS / (sd sqrt 2),
 * so that (u - mu) cx = ERFC_STEPS z bit for bit. The bands below the first one certain to be
 * reached add nothing. */
static double column(double mu, double cx)
{
    const double(*tab)[4] = haggler_erfc_tab;
    double col = 0, above = upper_x(tab, (1 - mu) * cx);
    /* x = (lower end - mu) cx falls with the band (rounding keeps the order), so the bands
     * come in runs: beyond six deviations above the mean (p = 0 = above: each would add
     * exactly 0), then at or above the mean (p below 1), then below it, until p reaches 1;
     * each run without the tests the others need (the same p, sums in the same order) */
    int k = BANDS - 1;
    double xb = 0, p;
    if (above < 1)
        while (k >= 0 && (xb = (haggler_band_lo[k] - mu) * cx) > XMAX)
            k--;
    if (above < 1 && xb >= 0)
        for (; k >= 0 && xb >= 0; k--) {
            p = erfc_half(tab, xb);
            col += (p - above) * haggler_band_cube[k];
            above = p;
            if (k > 0)
                xb = (haggler_band_lo[k - 1] - mu) * cx;
        }
    for (; k >= 0 && above < 1 && xb >= -XMAX; k--) {
        p = 1 - erfc_half(tab, -xb);
        col += (p - above) * haggler_band_cube[k];
        above = p;
        if (k > 0)
            xb = (haggler_band_lo[k - 1] - mu) * cx;
    }
    if (k >= 0 && above < 1)
        col += (1 - above) * haggler_band_cube[k]; /* xb < -XMAX: p = 1, the last band counted */
    return col;
}

/* Bounds lo <= column() <= hi without the bands. column() is sum_k c_k P(band k), c_k the cube
 * of band k's middle m_k, where F = E[X^3; 0 <= X < 1] for X ~ N(mu, sd^2) has a closed form
 * (the moments of a truncated normal: two tail probabilities, two densities). Within band k,
 * x = m_k + e with |e| <= h = 1 / (2 BANDS), c_k - x^3 = -(3 m_k^2 e + 3 m_k e^2 + e^3), so
 * column() - F is the sum over bands of the integral of that against the density f:
 * - the e term: |int e f| <= (2/3) h^3 max|f'| on each band (pair e with -e), max|f'| =
 *   e^(-1/2) / (sqrt(2 pi) sd^2), and sum_k 3 m_k^2 <= 3 (BANDS / 3 + 1) = 53: at most
 *   53 (2/3) h^3 0.242 / sd^2 (2e-4 at sd = 0.2);
 * - the e^2 term is <= 0 and at least -3 h^2 (mass below 1, m_k below 1);
 * - the e^3 term is within h^3.
 * BOUND_SLACK covers the rest: the tail probabilities' interpolation (within 7e-10 each, see
 * erfc_half) and rounding. Below sd = BOUND_MIN_SD (few bands in reach) it is column() itself. */
#define BOUND_SLACK 1e-7
#define BOUND_MIN_SD 0.02
static void column_bounds(double mu, double sd, double *lo, double *hi)
{
    const double(*tab)[4] = haggler_erfc_tab;
    double cx = 1 / (sd * sqrt(2.0)) * ERFC_STEPS;
    if (sd < BOUND_MIN_SD) {
        *lo = *hi = column(mu, cx);
        return;
    }
    const double h = 0.5 / BANDS, inv_sqrt_2pi = 0.3989422804014327;
    double al = (0 - mu) / sd, be = (1 - mu) / sd;
    double fa = inv_sqrt_2pi * exp_minus(0.5 * al * al),
           fb = inv_sqrt_2pi * exp_minus(0.5 * be * be); /* within 2 ulp: see BOUND_SLACK */
    double m0 = upper_x(tab, (0 - mu) * cx) - upper_x(tab, (1 - mu) * cx);
    double m1 = fa - fb, m2 = m0 + al * fa - be * fb, m3 = 2 * m1 + al * al * fa - be * be * fb;
    double f =
        mu * mu * mu * m0 + 3 * mu * mu * sd * m1 + 3 * mu * sd * sd * m2 + sd * sd * sd * m3;
    double first = 53 * (2.0 / 3) * h * h * h * 0.24197072451914337 / (sd * sd);
    *lo = f - first - 3 * h * h - h * h * h - BOUND_SLACK;
    *hi = f + first + h * h * h + BOUND_SLACK;
}

/* Fit the process to the finished windows before `now` and plan (t*, u*). */
static void plan(haggler11 *a, size_t now)
{
    const base *b = &a->c.b;
    double x[GP_WINDOWS], y[GP_WINDOWS], alpha[GP_WINDOWS];
    size_t n = 0, at[GP_WINDOWS];
    for (size_t k = 0; k < now; k++)
        if (a->win_max[k] >= 0) {
            at[n] = k;
            x[n] = haggler_centre(k);
            y[n++] = a->win_max[k];
        }
    if (n < 1)
        return;
    if (a->disc[0] < 0)
        disc_fill(a);
    /* the kept fit must be a prefix of this data (always so as time runs forward); else
     * start afresh */
    size_t m = a->fit_n <= n ? a->fit_n : 0;
    for (size_t i = 0; i < m; i++)
        if (a->fit_at[i] != at[i] || a->fit_y[i] != y[i])
            m = 0;
    if (m < a->fit_n)
        for (size_t w = 0; w < GP_WINDOWS; w++)
            a->v_n[w] = 0;
    double(*L)[GP_WINDOWS] = a->L;
    const double(*tab)[4] = haggler_erfc_tab;
    /* the prior trend: from the first window's value toward 0.9 at the deadline */
    double y0 = y[0], slope = 0.9 - y[0];
    /* Cholesky factor of K + noise I, new rows only */
    for (size_t i = m; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = kernel_at(at[i], at[j]) + (i == j ? 1e-4 : 0);
            for (size_t k = 0; k < j; k++)
                s -= L[i][k] * L[j][k];
            L[i][j] = i == j ? sqrt(s > 1e-12 ? s : 1e-12) : s / L[j][j];
        }
    /* alpha = K^-1 (y - trend): forward (new rows only) then back substitution */
    for (size_t i = m; i < n; i++) {
        double s = y[i] - (y0 + slope * x[i]);
        for (size_t k = 0; k < i; k++)
            s -= L[i][k] * a->fwd[k];
        a->fwd[i] = s / L[i][i];
        a->fit_at[i] = at[i];
        a->fit_y[i] = y[i];
    }
    a->fit_n = n;
    memcpy(alpha, a->fwd, n * sizeof *alpha);
    for (size_t i = n; i-- > 0;) {
        double s = alpha[i];
        for (size_t k = i + 1; k < n; k++)
            s -= L[k][i] * alpha[k];
        alpha[i] = s / L[i][i];
    }
    /* Each window's prediction and bounds on what its offer is worth (column_bounds): only a
     * window whose upper bound reaches the best lower bound can hold the best value, so only
     * those are summed band by band, in order, as before (the same sums: the same window and
     * the same bits, at a fraction of the work) */
    double w_mu[GP_WINDOWS], w_sd[GP_WINDOWS], w_hi[GP_WINDOWS], best_lo = -1;
    for (size_t w = now; w < GP_WINDOWS; w++) {
        double xs = haggler_centre(w), *v = a->v[w];
        double mu = y0 + slope * xs;
        for (size_t i = 0; i < n; i++)
            mu += kernel_at(w, at[i]) * alpha[i];
        /* v = L^-1 k(w, data) and the variance left, extended by the new points */
        double var = a->v_n[w] ? a->var[w] : kernel_at(w, w) + 1e-4;
        for (size_t i = a->v_n[w]; i < n; i++) {
            double s = kernel_at(w, at[i]);
            for (size_t k = 0; k < i; k++)
                s -= L[i][k] * v[k];
            v[i] = s / L[i][i];
            var -= v[i] * v[i];
        }
        a->v_n[w] = n;
        a->var[w] = var;
        double sd = sqrt(var > 1e-12 ? var : 1e-12), lo, hi;
        column_bounds(mu, sd, &lo, &hi);
        w_mu[w] = mu;
        w_sd[w] = sd;
        w_hi[w] = hi * a->disc[w];
        if (lo * a->disc[w] > best_lo)
            best_lo = lo * a->disc[w];
    }
    double best_col = -1, best_mu = 0, best_sd = 1, best_d = 1;
    a->to_t = 1;
    for (size_t w = now; w < GP_WINDOWS; w++) {
        if (w_hi[w] < best_lo)
            continue; /* below another window's value: cannot be the best */
        double mu = w_mu[w], sd = w_sd[w], d = a->disc[w], c = 1 / (sd * sqrt(2.0));
        double col = column(mu, c * ERFC_STEPS) * d;
        if (col >= best_col) {
            best_col = col;
            a->to_t = haggler_centre(w);
            best_mu = mu;
            best_sd = sd;
            best_d = d;
        }
    }
    /* at t*, the utility to ask: its value times the chance the opponent offers that much */
    double floor = b->best_u > b->reservation ? b->best_u : b->reservation, best = -1;
    a->to_u = b->umax;
    for (int k = 0; k < BANDS; k++) {
        double u = (k + 0.5) / BANDS;
        if (u < floor || u > b->umax)
            continue;
        double e =
            u * u * u * best_d * upper_x(tab, (u - best_mu) / (best_sd * sqrt(2.0)) * ERFC_STEPS);
        if (e >= best) {
            best = e;
            a->to_u = u;
        }
    }
    a->planned_at = now;
}

static int haggler11_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                         uint32_t *offer, void *payload)
{
    (void)payload;
    haggler11 *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    size_t now = window_of(t);
    int has = turn->offer && turn->offer_from != b->party;
    if (has && turn->offer_utility > a->win_max[now])
        a->win_max[now] = turn->offer_utility;
    if (now == 0) {
        a->target = b->umax * (1 - t / 2);
    } else {
        if (now != a->planned_at)
            plan(a, now);
        if (a->planned_at <= GP_WINDOWS) {
            /* a straight line from where it stands toward (t*, u*) */
            if (t < a->to_t && a->to_t > a->from_t)
                a->target += (a->to_u - a->target) * (t - a->from_t) / (a->to_t - a->from_t);
            else
                a->target = a->to_u;
        }
    }
    a->from_t = t;
    double floor = b->best_u > b->reservation ? b->best_u : b->reservation;
    if (floor > b->umax)
        floor = b->umax;
    if (a->target < floor)
        a->target = floor;
    if (a->target > b->umax)
        a->target = b->umax;
    if (has && anac_acceptable(&a->c, turn->offer_utility)) {
        double v = turn->offer_utility;
        if ((b->made && 1.02 * v >= b->own_last_u) || v >= a->target || v >= 0.9 * b->umax)
            return anac_accept(kind);
    }
    if (b->received && b->best_u >= a->target && b->best_u >= b->reservation) {
        memcpy(offer, b->best, b->ni * sizeof *offer);
        return anac_offer(&a->c, kind, b->best_u);
    }
    double lo = a->target - 0.025 > floor ? a->target - 0.025 : floor;
    return anac_offer(&a->c, kind, base_random_between(b, lo, a->target + 0.025, offer));
}

void iamhaggler2011_column(double mu, double sd, double *col, double *lo, double *hi)
{
    *col = column(mu, 1 / (sd * sqrt(2.0)) * ERFC_STEPS);
    column_bounds(mu, sd, lo, hi);
}

const truce_agent_class agent_iamhaggler2011_class = {
    "iamhaggler2011",    0, anac_size, haggler11_init, haggler11_act, anac_observe,
    ANAC_SELF(haggler11)};
