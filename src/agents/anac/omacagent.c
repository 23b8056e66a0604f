/* omacagent.c: OMAC (ANAC 2012, joint third). Chen and Weiss (2012), "An
 * efficient and adaptive approach to negotiation in complex environments",
 * ECAI 2012, pp. 228-233.
 *
 * From the paper: OMAC predicts the opponent's future concession from the
 * history of its offers (utility to OMAC, sampled in time intervals, smoothed
 * by a discrete wavelet transform and extrapolated by a cubic spline), and
 * sets its target to the larger of the predicted best future offer
 * (discounted) and a time-dependent minimum; it accepts an offer worth its
 * target, offers bids near the target.
 * Choices: the wavelet-and-spline predictor is replaced by a least-squares
 * line through the per-interval maxima (20 intervals), evaluated at t = 1;
 * minimum Umax - (Umax - floor) t^3 with floor = max(reservation, 0.5 Umax);
 * target = max(minimum, predicted best) discounted by d^(1 - t). */
#include <math.h>

#include "anac.h"

typedef struct omac {
    core c;
    window w;
} omac;

static int omac_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    omac *a = state;
    window_init(&a->w);
    return anac_start(&a->c, setup, "omacagent", *(const size_t *)payload, OM_NONE, NULL, 0, err);
}

/* Least-squares line through the maxima of 20 time intervals up to t, at time 1. */
static double predict(const omac *a, double t)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (int k = 0; k < 20 && (k + 0.5) / 20 <= t; k++) {
        double m = window_max(&a->w, k / 20.0, (k + 1) / 20.0 - 1e-9);
        if (m < 0)
            continue;
        double x = (k + 0.5) / 20;
        sx += x;
        sy += m;
        sxx += x * x;
        sxy += x * m;
        n++;
    }
    if (n < 2)
        return -1;
    double den = n * sxx - sx * sx;
    if (fabs(den) < 1e-12)
        return sy / n;
    double slope = (n * sxy - sx * sy) / den, icept = (sy - slope * sx) / n;
    return icept + slope;
}

static int omac_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    omac *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    int has = turn->offer && turn->offer_from != b->party;
    if (has)
        window_add(&a->w, t, turn->offer_utility);
    double floor = b->reservation > 0.5 * b->umax ? b->reservation : 0.5 * b->umax;
    double target = b->umax - (b->umax - floor) * t * t * t;
    double predicted = predict(a, t) * pow(b->discount, 1 - t);
    if (predicted > target)
        target = predicted > b->umax ? b->umax : predicted;
    double u = base_bid(b, target, offer);
    if (has && anac_acceptable(&a->c, turn->offer_utility) && turn->offer_utility >= target)
        return anac_accept(kind);
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_omacagent_class = {"omacagent", 0,            anac_size, omac_init,
                                                 omac_act,    anac_observe, ANAC_SELF(omac)};
