/* thefawkes.c: TheFawkes (ANAC 2013 winner), a BOA agent by Koeman et al.,
 * summarised in Gal, Ilany et al., "The fourth automated negotiation
 * competition" (ANAC 2013 report), and in Baarslag (2016), "Exploring the
 * Strategy Space of Negotiating Agents", Springer Theses.
 *
 * From the descriptions: a frequency opponent model; a bidding strategy that
 * predicts the opponent's future concession from its offers so far and
 * concedes only as far as that prediction makes worthwhile; the offered bid
 * is the best for the opponent among bids near the target; acceptance by
 * AC_combi with a max window.
 * Choices: the prediction is the opponent's concession rate so far
 * (best-received gain per unit time) extrapolated to t = 1; target = max(that
 * prediction, Boulware e = 0.15 curve down to max(reservation, 0.5 Umax));
 * window acceptance after T = 0.98. */
#include <math.h>

#include "anac.h"

typedef struct fawkes {
    core c;
    window w;
} fawkes;

static int fawkes_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    fawkes *a = state;
    window_init(&a->w);
    return anac_start(&a->c, setup, "thefawkes", *(const size_t *)payload, OM_FREQUENCY, NULL, 0,
                      err);
}

static int fawkes_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                      void *payload)
{
    (void)payload;
    fawkes *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    double t = turn->time;
    double floor = b->reservation > 0.5 * b->umax ? b->reservation : 0.5 * b->umax;
    double target = floor + (b->umax - floor) * (1 - pow(t, 1 / 0.15));
    if (b->received > 1 && t > 0.05) {
        double predicted = b->best_u + (b->best_u - b->first_u) / t * (1 - t);
        if (predicted > target)
            target = predicted > b->umax ? b->umax : predicted;
    }
    double u = pick_for_opponent(b, &a->c.m, target, 0.05, 16, offer);
    int has = turn->offer && turn->offer_from != b->party;
    if (has) {
        double v = turn->offer_utility;
        int ok = v >= u || (t >= 0.98 && v >= window_max(&a->w, t - (1 - t), t));
        window_add(&a->w, t, v);
        if (ok && anac_acceptable(&a->c, v))
            return anac_accept(kind);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_thefawkes_class = {"thefawkes", 0,            anac_size, fawkes_init,
                                                 fawkes_act,  anac_observe, ANAC_SELF(fawkes)};
