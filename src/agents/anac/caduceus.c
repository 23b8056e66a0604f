/* caduceus.c: Caduceus (ANAC 2016 winner, multilateral). Güneş, Arditi and
 * Aydoğan (2017), "Collective voice of experts in multilateral
 * negotiation", PRIMA 2017, LNCS 10621, Springer, pp. 450-458; the ANAC
 * 2016 report (Aydoğan et al., "The seventh automated negotiating agents
 * competition", SCI 905).
 *
 * From the paper: Caduceus runs a panel of earlier ANAC agents (experts),
 * each with an expertise weight taken from its past competition results,
 * and lets them vote: in the first part of the session it offers its own
 * best bid; after that every expert says what it would do, the panel
 * accepts when the weighted majority of the experts accepts (truce: see below), and otherwise
 * Caduceus offers a bid built issue by issue from the experts' bids, each
 * issue taking the value with the largest total expertise behind it.
 * Choices where the paper leaves it open (or names agents truce does not
 * have): the experts are truce's parsagent, atlas3, randomdance,
 * hardheaded2011 and cuhkagent with weights 5, 4, 3, 2, 1 (ParsAgent the
 * heaviest since anac-fid6: GENIUS 10.4's Caduceus agrees where its ParsAgent
 * does against Boulware on ANAC 2011 Laptop and Camera, the same round and
 * outcome in the second seat, while its Atlas3 takes Boulware's offers in
 * round 8-12 on Laptop; with Atlas3 the heaviest, truce's Atlas3, HardHeaded2011
 * and CUHKAgent outvoted the rest in round 44-47); the first part ends at t = 0.83 d, d the
 * discount factor (anac-fid20 found it, anac-fid25 adopted it), and in it Caduceus neither accepts
 * nor concedes; after it, it accepts when its heaviest expert, ParsAgent, does (anac-fid25: GENIUS
 * 10.4's Caduceus, against one bid offered all session, takes it in the round ParsAgent alone
 * takes it, 75 on Camera, 70 on Laptop, 78 on SmartPhone with reservation 0, or in the first
 * round of t >= 0.83 d when ParsAgent would take it sooner, 73 there against 0.85 and 84 on
 * ItexvsCypress, while its other experts take none of these offers before round 96; the
 * weighted majority took them in rounds 93-96); every expert
 * sees every event and is asked at every turn (so its own model and clock advance as if it were
 * playing); an expert that accepts votes for the standing offer's values; ties go to the value of
 * the heavier expert; when the combined bid breaks the party's own hard conditions, falls below its
 * reservation value or below the least any offering expert asked for, Caduceus offers the heaviest
 * offering expert's bid instead (its best bid when every expert accepted or ended). Each expert
 * draws from its own stream of the seeded generator. */
#include <string.h>

#include "anac.h"

static const char *const experts[] = {"parsagent", "atlas3", "randomdance", "hardheaded2011",
                                      "cuhkagent"};
static const double weight[] = {5, 4, 3, 2, 1};
#define N_EXPERTS (sizeof experts / sizeof experts[0])
#define FIRST_PART 0.83

typedef struct caduceus {
    core c;
    member m[N_EXPERTS];
    uint32_t *bids; /* N_EXPERTS * ni: what each expert offered (or accepted) this turn */
} caduceus;

static size_t tail_bytes(const truce_space *sp)
{
    size_t n = CARVE_ROUND(N_EXPERTS * truce_space_scenario(sp)->n_issues * sizeof(uint32_t));
    for (size_t k = 0; k < N_EXPERTS; k++)
        n += member_bytes(anac_class(experts[k]), sp);
    return n;
}

static size_t caduceus_size(const truce_space *sp, void *payload)
{
    return anac_size(sp, payload) + tail_bytes(sp);
}

static int caduceus_init(void *state, const truce_agent_setup *setup, truce_error *err,
                         void *payload)
{
    caduceus *a = state;
    int rc = anac_start(&a->c, setup, "caduceus", *(const size_t *)payload, OM_NONE, NULL, 0, err);
    if (rc)
        return rc;
    const truce_space *sp = setup->space;
    char *cursor = (char *)a + CARVE_ROUND(sizeof *a) + base_bytes(sp) + om_bytes(sp->s);
    a->bids = carve(&cursor, N_EXPERTS * sp->ni * sizeof *a->bids);
    for (size_t k = 0; k < N_EXPERTS; k++)
        if ((rc = member_start(&a->m[k], anac_class(experts[k]), setup, k, &cursor, err)))
            return rc;
    return 0;
}

static void caduceus_observe(void *state, const truce_event *ev, void *payload)
{
    caduceus *a = state;
    anac_observe(state, ev, payload);
    for (size_t k = 0; k < N_EXPERTS; k++)
        if (a->m[k].cls->observe)
            a->m[k].cls->observe(a->m[k].state, ev, a->m[k].cls->payload);
}

static int caduceus_act(void *state, const truce_turn *turn, truce_action_kind *kind,
                        uint32_t *offer, void *payload)
{
    (void)payload;
    caduceus *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    size_t ni = b->ni;
    int has = turn->offer && turn->offer_from != b->party;
    int voted[N_EXPERTS], offered[N_EXPERTS], accepted[N_EXPERTS];
    for (size_t k = 0; k < N_EXPERTS; k++) {
        truce_action_kind said = TRUCE_ACTION_END;
        uint32_t *bid = a->bids + k * ni;
        int rc = a->m[k].cls->act(a->m[k].state, turn, &said, bid, a->m[k].cls->payload);
        if (rc)
            return rc;
        offered[k] = said == TRUCE_ACTION_OFFER;
        voted[k] = offered[k] || (said == TRUCE_ACTION_ACCEPT && turn->offer);
        accepted[k] = said == TRUCE_ACTION_ACCEPT && turn->offer;
        if (accepted[k])
            memcpy(bid, turn->offer, ni * sizeof *bid);
    }
    if (turn->time < FIRST_PART * b->discount)
        return anac_offer(&a->c, kind, base_bid(b, b->umax, offer));
    /* after the first part it accepts when its heaviest expert, experts[0], does (anac-fid25) */
    if (has && anac_acceptable(&a->c, turn->offer_utility) && accepted[0])
        return anac_accept(kind);
    /* issue by issue, the value with the most expertise behind it */
    size_t heaviest = N_EXPERTS;
    double least = 2;
    for (size_t k = 0; k < N_EXPERTS; k++)
        if (offered[k]) {
            if (heaviest == N_EXPERTS)
                heaviest = k;
            double u = base_utility(b, a->bids + k * ni);
            if (u < least)
                least = u;
        }
    if (heaviest == N_EXPERTS)
        return anac_offer(&a->c, kind, base_bid(b, b->umax, offer));
    for (size_t i = 0; i < ni; i++) {
        double best = -1;
        for (size_t k = 0; k < N_EXPERTS; k++) {
            if (!voted[k])
                continue;
            uint32_t v = a->bids[k * ni + i];
            double behind = 0;
            for (size_t j = 0; j < N_EXPERTS; j++)
                if (voted[j] && a->bids[j * ni + i] == v)
                    behind += weight[j];
            if (behind > best) {
                best = behind;
                offer[i] = v;
            }
        }
    }
    double u = base_utility(b, offer);
    if (!base_allows(b, offer) || u < b->reservation || u < least) {
        memcpy(offer, a->bids + heaviest * ni, ni * sizeof *offer);
        u = base_utility(b, offer);
    }
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_caduceus_class = {
    "caduceus",         0, caduceus_size, caduceus_init, caduceus_act, caduceus_observe,
    ANAC_SELF(caduceus)};
