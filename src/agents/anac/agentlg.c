/* agentlg.c: AgentLG (ANAC 2012, second). Described in Williams, Robu,
 * Gerding and Jennings (2014), "An overview of the results and insights from
 * the third automated negotiating agents competition (ANAC 2012)", Novel
 * Insights in Agent-based Complex Automated Negotiation, SCI 535, Springer.
 *
 * From the description: AgentLG stays tough for most of the session, offering
 * its best bids, concedes slowly in time, and in the last part of the session
 * agrees to the opponent's best offers.
 * Read off GENIUS 10.4's AgentLG (traces on ANAC 2011 Laptop and Camera, both
 * seats, against Boulware, Conceder, AgentK, HardHeaded, CUHKAgent,
 * Gahboninho, AgreeableAgent2018 and TheFawkes; docs/anac-agents.md#agentlg),
 * since the text at hand gives no numbers: it offers its best bid until
 * t = 0.109 (11 rounds of 100), then walks down its own bids in order of
 * utility, one a turn, and goes back to its best when the next bid is below a
 * floor; the floor falls in steps every 0.109 of the time (the same walk
 * against every opponent). The floors, Umax minus 0, 0.031, 0.046, 0.052,
 * 0.0734, 0.0923, 0.0923, 0.0926, 0.100, 0.110 in steps 0-9, are where
 * GENIUS's AgentLG's walk turns as the Camera buyer (its seller's turns are
 * 0.01-0.015 lower from step 2; its Laptop walks fit neither: see the doc).
 * It accepts an offer at least its floor or its next bid, and, from t = 0.42
 * (Laptop: the buyer takes 0.874 at t = 0.436, not at 0.416), one worth at
 * least Umax - 0.13; from t = 0.7 (takes 0.852 at t = 0.752, not at 0.673),
 * Umax - 0.15 (anac-fid28: after a rich first offer only once the opponent has improved on it;
 * when d > 0.5 only after a rich one, and only the latter, after an improvement of 0.2 Umax).
 * After t = 0.995 (anac-fid21: not at 0.990, the last round of
 * GENIUS's 100) it accepts offers within 0.02 of the best received if worth at
 * least max(reservation, 0.5 Umax) (anac-fid4: GENIUS's AgentLG takes none of
 * CUHKAgent's offers worth 0.27 or 0.49 at the end on Camera). Spaces too large
 * to tabulate: the bid the frequency model rates best among those within 0.03
 * above the floor.
 * The discount (anac-fid12, read off GENIUS's traces on Energy and on copies of
 * Camera, Grocery and Laptop with the discount changed): the drops above are
 * Camera's (d = 0.89); with d = 1 its floor at step k is its k-th distinct
 * utility below Umax, and it accepts from t = 0.42 its 3rd, from t = 0.7 its
 * 4th (since anac-fid28 only the 4th, after a rich first offer improved on by 0.2 Umax:
 * LG_TAKE_D), at the end its 9th. Between d = 0.89 and 1 the two are mixed in
 * proportion to 1 - d. Below d = 0.89, after a first offer worth less than 0.6 Umax, the
 * floors are those of Camera copies with stronger discounts (anac-fid13: lg_knot_drop).
 * The second mover (anac-fid17): after a poor first offer the Camera seller's floors
 * (lg_drop_second); it takes nothing below its floor or next bid from t = 0.42 (nor from t = 0.7
 * after a poor first offer): the Umax - 0.13 / - 0.15 acceptances are the first mover's. */
#include <math.h>

#include "anac.h"

/* The floor falls every LG_STEP of the time (11 rounds of 100), LG_STEPS times. */
#define LG_STEP 0.109
#define LG_STEPS 10
static const double lg_drop[LG_STEPS] = {0,      0.031,  0.046,  0.052, 0.0734,
                                         0.0923, 0.0923, 0.0926, 0.100, 0.110};
/* The same as the second mover (anac-fid17): where GENIUS's AgentLG's walk turns as the Camera
 * seller, steps 1-7 (anac-fid5 read them, bench/genius-data/traces/Camera-*-agentlg.jsonl);
 * steps 8-9 were not read (the sessions end first): no less than step 7's and the first mover's. */
static const double lg_drop_second[LG_STEPS] = {0,     0.031, 0.058, 0.070, 0.083,
                                                0.097, 0.097, 0.109, 0.109, 0.110};

/* The discount at which the drops above are GENIUS's (the Camera buyer's, ANAC 2011 Camera):
 * they count in full at this discount or below and in proportion to 1 - d above it. */
#define LG_CAMERA_D 0.890596104

/* Stronger discounts (anac-fid13): GENIUS's AgentLG as the Camera buyer on copies of Camera with
 * the discount changed (against Boulware and HardHeaded, the same walk), its floors in steps 1-9
 * read as "the deepest bid of the step's walk, and below the next bid where it went back to its
 * best" (the middle of that gap when it is wide). Where the walk never turned in a step (it
 * steps one bid a turn and the floor falls faster) the floor is only known to be below the
 * walk's deepest bid: that bid's drop. Linear in d between these discounts; at 0.42 and below
 * the first row; from LG_CAMERA_D the drops above. Only when the opponent's first offer is
 * poor: a first offer worth at least LG_RICH Umax keeps the drops above (the Laptop walks, both
 * seats, and anac-fid9's Grocery copies: a rich first offer slows the walk). */
#define LG_KNOTS 5
#define LG_RICH 0.6
static const double lg_knot_d[LG_KNOTS] = {0.42, 0.5, 0.6, 0.7, 0.806};
static const double lg_knot_drop[LG_KNOTS][LG_STEPS] = {
    {0, 0.0923, 0.0925, 0.1166, 0.1388, 0.1490, 0.1576, 0.1659, 0.1825, 0.1847},
    {0, 0.0734, 0.0955, 0.1200, 0.1447, 0.1513, 0.1612, 0.1710, 0.1825, 0.1847},
    {0, 0.0522, 0.0955, 0.1200, 0.1447, 0.1513, 0.1612, 0.1710, 0.1825, 0.1847},
    {0, 0.0460, 0.0847, 0.0955, 0.1200, 0.1447, 0.1513, 0.1612, 0.1710, 0.1713},
    {0, 0.0460, 0.0672, 0.0923, 0.1052, 0.1297, 0.1340, 0.1340, 0.1340, 0.1353}};
/* Ties: utilities closer than this are one level of its bid list; a floor at a distinct
 * utility (weight below 1) is lowered by it so that the bid there is within the floor. */
#define LG_TIE 1e-9
/* The walk after a poor first offer (anac-fid20, read off GENIUS 10.4's AgentLG against constant
 * opponents, on one-issue lines, on Grocery and Camera and on copies of them with one value or the
 * discount changed: the *-agentlg-constant-fid20 traces of bench/genius-data): at the first turn of
 * each step but LG_HOLD_STEP its floor becomes min(floor, the least utility it has offered)
 * d^LG_FALL (step 6 keeps it). It offers the next bid down its list after a bid worth at least the
 * floor, and its best after one below: its cycle ends with the first bid below the floor. With
 * d = 1 that is one distinct utility a step (anac-fid12). GENIUS's walk fits this offer for offer
 * in steps 1-6; from step 7 its walk goes down about one utility level a step on the lines, Grocery
 * and the Camera buyer, deeper as the Camera seller: d^LG_FALL there, or the tables' floor below
 * (lg_floor) when that is deeper, ends more of the replayed GENIUS sessions as GENIUS did than one
 * level a step (docs/anac-agents.md, anac-fid20); but the first mover's step 7 is one level
 * (LG_LEVEL_STEP, anac-fid21). */
#define LG_FALL 0.1
#define LG_HOLD_STEP 6
/* The first mover's step 7 (anac-fid21, read off GENIUS 10.4's AgentLG as the Camera buyer against
 * HardHeaded, CUHKAgent, AgentK, Gahboninho, TheFawkes and a constant opponent, the same walk in
 * all six, and on the lines at d = 0.85 and 1 - 0.01 i): its walk's floor becomes the least it has
 * offered, with no fall, so its cycle goes one bid deeper than step 6's (Camera: 0.9078, then
 * 0.9076 and back; the line: 0.90, then 0.89 and back), where the fall took it to 0.8956 and 0.88;
 * what it takes still falls by d^LG_FALL (Grocery's Mary takes 0.84 at the step's first turn,
 * anac-fid19), and the tables' floor does not apply in this step. The second mover's step 7 goes
 * deeper (the Camera seller: four bids): unchanged. */
#define LG_LEVEL_STEP 7
/* How far its walk goes at most (anac-fid24, read off GENIUS 10.4's AgentLG as ItexvsCypress's
 * Itex, d = 1, against constant opponents): never below Umax - LG_CAP (Umax - x), x what the
 * opponent's first offer is worth to it, whatever it offers later: first offers worth 0.164 and
 * 0.25 stop the walk at 0.818 (0.808 is refused), 0.3-0.4 at 0.855, 0.45 and 0.59 at 0.904, 0.71
 * at its best (LG_CAP in [0.2427, 0.256) fits all); as Cypress, the second mover, 0.4 and 0.55
 * stop it at 0.888, 0.65 at 0.918, 0.75 at 0.971, as the cap says. Without a discount only:
 * GENIUS's walks go deeper under one (the Camera buyer to 0.907 after a first offer worth 0.75,
 * d = 0.89; the Laptop buyer 0.118 below Umax after 0.726, d = 0.42). */
#define LG_CAP 0.25
/* Its last rounds (anac-fid24): from t = LG_LATE it no longer goes back to its best at the end of
 * a cycle but offers its last bid again. GENIUS 10.4's AgentLG goes back at t = 0.891 and 0.901
 * (rounds 90 and 91 of 100, ItexvsCypress, both seats, d = 1) and never from t = 0.921 (round
 * 93): it repeats the bid that ended its cycle to round 100 there, on GroceryZD1 (d = 1) and as
 * Grocery's Mary (d = 0.806; traces in bench/genius-data); on Camera and the lines its walk is
 * still going down then. */
#define LG_LATE 0.91
/* When its time acceptances apply (anac-fid28, read off GENIUS 10.4's AgentLG against hand-made
 * opponents, bench/genius_walk.py). After a rich first offer: an opponent that never improves on it
 * gets nothing from them (Camera, both seats: 0.87-0.96 offered every round refused to round 100;
 * one-issue lines at d = 0.42 and 0.85: 0.86 and 0.88 refused); under a strong discount (d <=
 * LG_TAKE_D) it takes an improved offer early (Camera at d = 0.42 and 0.5: 0.927 in round 45;
 * Laptop, d = 0.42: the buyer takes HardHeaded's 0.874 at t = 0.436 and AgentK's 0.852 at 0.752,
 * the seller AgentK's 0.874 at 0.822: the rules' source), at a milder one late or not at all
 * (Camera, d = 0.89 and copies at 0.69 and 0.6: after 0.8, 0.892 offered from round 40, 44 or 60
 * refused to round 100, 0.927 and 0.908 taken in rounds 63-75 and 78-90, where the t > 0.42 rule
 * took them in round 45), except the Umax - 0.15 rule from t = 0.7 after an offer better than the
 * first by LG_RICH_GAIN Umax (0.886 after an opening of 0.65 taken in rounds 71 and 70; after 0.7
 * never; after 0.75 in rounds 78 and 83, which the rule misses, as it misses 0.927 after 0.8 in
 * round 75). After a poor first offer, at a mild discount it takes only what its walk reaches
 * (Camera, opening 0.5: 0.88 from round 44 and 0.87 from round 60 refused to round 100, where the
 * rules took them in rounds 45 and 61; SmartPhone, d = 0.87: taken in round 77, not 45 and 71;
 * Grocery, d = 0.806: its walk takes them in rounds 45, 61 and 78 either way); without a discount
 * the walk takes the probes' offers as the rules did (Camera and a line at d = 1). */
#define LG_TAKE_D 0.5
#define LG_RICH_GAIN 0.2

typedef struct agentlg {
    core c;
    uint64_t at;           /* sorted index of its last bid */
    double weight;         /* of lg_drop against rank: min(1, (1 - d) / (1 - LG_CAMERA_D)) */
    double poor[LG_STEPS]; /* the drops at its discount after a poor first offer (lg_knot_drop) */
    double rank[LG_STEPS]; /* Umax minus its k-th distinct utility (k = 0..9) */
    int second;            /* it answered an offer at its first turn */
    int step;              /* the step its walk floor (`wall`) was last set for */
    double wall;           /* the walk's floor after a poor first offer (anac-fid20) */
    double least;          /* the least utility it has offered */
    double fall;           /* d^LG_FALL */
} agentlg;

/* rank[k] from the party's sorted table: its k-th distinct utility below Umax. */
static void lg_rank_tabulated(agentlg *a)
{
    const base *b = &a->c.b;
    const double *u = b->sp->sorted_u[b->party];
    uint64_t n = space_bid_count(b->sp, b->party);
    int k = 0;
    a->rank[0] = 0;
    double last = n ? u[0] : b->umax;
    for (uint64_t i = 1; i < n && k + 1 < LG_STEPS; i++)
        if (u[i] < last - LG_TIE) {
            last = u[i];
            a->rank[++k] = b->umax - u[i];
        }
    for (k++; k < LG_STEPS; k++)
        a->rank[k] = a->rank[k - 1];
}

/* rank[k] of a linear profile too large to tabulate: the LG_STEPS smallest distinct sums of
 * per-issue drops (an option's worth below its issue's best), issue by issue, keeping only the
 * smallest LG_STEPS distinct partial sums (a sum using a partial outside them has LG_STEPS
 * distinct smaller ones with the same remaining options). Returns 0 when the profile is not
 * linear. */
static int lg_rank_linear(agentlg *a)
{
    const base *b = &a->c.b;
    const truce_scenario *s = b->s;
    const party *p = &s->parties[b->party];
    if (!p->table || p->kind != TRUCE_PROFILE_LINEAR)
        return 0;
    double cur[LG_STEPS], next[LG_STEPS];
    int n = 1;
    cur[0] = 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        const double *t = p->table + s->option_offset[i];
        uint32_t no = s->issues[i].n_options;
        double top = t[0];
        for (uint32_t j = 1; j < no; j++)
            if (t[j] > top)
                top = t[j];
        int m = 0;
        for (int x = 0; x < n; x++)
            for (uint32_t j = 0; j < no; j++) {
                double v = cur[x] + (top - t[j]);
                /* insert v into next[0..m) ascending, distinct, at most LG_STEPS */
                int at = 0;
                while (at < m && next[at] < v - LG_TIE)
                    at++;
                if (at < m && next[at] <= v + LG_TIE)
                    continue;
                if (at >= LG_STEPS)
                    continue;
                int end = m < LG_STEPS ? m : LG_STEPS - 1;
                for (int y = end; y > at; y--)
                    next[y] = next[y - 1];
                next[at] = v;
                if (m < LG_STEPS)
                    m++;
            }
        for (int x = 0; x < m; x++)
            cur[x] = next[x];
        n = m;
    }
    for (int k = 0; k < LG_STEPS; k++)
        a->rank[k] = cur[k < n ? k : n - 1];
    return 1;
}

/* The drops at discount d after a poor first offer: lg_knot_drop linear in d, lg_drop from
 * LG_CAMERA_D. */
static void lg_poor_drops(double *out, double d, const double *camera)
{
    int i = 0;
    double w = 0;
    if (d >= LG_CAMERA_D) {
        for (int k = 0; k < LG_STEPS; k++)
            out[k] = camera[k];
        return;
    }
    if (d > lg_knot_d[0]) {
        while (i + 1 < LG_KNOTS && d >= lg_knot_d[i + 1])
            i++;
        double hi = i + 1 < LG_KNOTS ? lg_knot_d[i + 1] : LG_CAMERA_D;
        w = (d - lg_knot_d[i]) / (hi - lg_knot_d[i]);
    }
    for (int k = 0; k < LG_STEPS; k++) {
        double upper = i + 1 < LG_KNOTS ? lg_knot_drop[i + 1][k] : camera[k];
        out[k] = (1 - w) * lg_knot_drop[i][k] + w * upper;
    }
}

static int lg_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    agentlg *a = state;
    int rc =
        anac_start(&a->c, setup, "agentlg", *(const size_t *)payload, OM_FREQUENCY, NULL, 0, err);
    if (rc)
        return rc;
    const base *b = &a->c.b;
    a->weight = b->discount < LG_CAMERA_D ? 1 : (1 - b->discount) / (1 - LG_CAMERA_D);
    if (a->weight > 1)
        a->weight = 1;
    for (int k = 0; k < LG_STEPS; k++)
        a->rank[k] = 0;
    a->second = 0;
    a->step = 0;
    a->wall = a->least = b->umax;
    a->fall = pow(b->discount, LG_FALL);
    lg_poor_drops(a->poor, b->discount, lg_drop);
    if (b->sp->tabulated)
        lg_rank_tabulated(a);
    else if (!lg_rank_linear(a))
        a->weight = 1; /* no ranks: the drops in full */
    return 0;
}

/* Between the drop at Camera's discount (weight 1) and its k-th distinct utility's (weight 0,
 * no discount), in proportion. */
static double lg_mix(const agentlg *a, double discounted, double rank)
{
    return a->weight * discounted + (1 - a->weight) * rank;
}

/* Whether the opponent's first offer was rich (worth at least LG_RICH Umax): not poor. */
static int lg_rich(const base *b)
{
    return b->received && b->first_u >= LG_RICH * b->umax;
}

/* The least its walk offers: Umax - LG_CAP (Umax - first offer), without a discount. */
static double lg_cap(const agentlg *a)
{
    const base *b = &a->c.b;
    if (!b->received || b->discount < 1)
        return -HUGE_VAL;
    return b->umax - LG_CAP * (b->umax - b->first_u);
}

/* Its drop from Umax at step k (and the tie margin when a rank is mixed in). */
static double lg_drop_at(const agentlg *a, int k)
{
    const base *b = &a->c.b;
    return lg_mix(a, lg_rich(b) ? lg_drop[k] : a->poor[k], a->rank[k]) +
           (a->weight < 1 ? LG_TIE : 0);
}

/* The lowest utility its walk reaches at time t (at least the reservation value). */
static double lg_floor(const agentlg *a, double t)
{
    const base *b = &a->c.b;
    int k = t > 0 ? (int)(t / LG_STEP) : 0;
    if (k >= LG_STEPS)
        k = LG_STEPS - 1;
    double f = b->umax - lg_drop_at(a, k);
    return f > b->reservation ? f : b->reservation;
}

/* The least utility it accepts at time t, besides its next bid and the end rule: from t = 0.42
 * Umax less 0.13 mixed with its 3rd distinct utility's drop by the discount's weight, from
 * t = 0.7 0.15 mixed with the 4th's; the second mover neither from t = 0.42 nor, after a poor
 * first offer, from t = 0.7 (anac-fid17). Without a discount these stand in for what GENIUS
 * 10.4's AgentLG does after an offer better than all before it seen from t = 0.6 (anac-fid24,
 * not modelled): its walk then goes deeper and it takes that offer at its next return to its
 * best (LaptopD1: Boulware's 0.874 of round 73 taken in round 75; truce's takes it in round 74);
 * against an opponent that never improves it takes nothing (ItexvsCypress: 0.856 and 0.904
 * offered every turn refused to round 100, where truce's take them in round 43). Since
 * anac-fid28 (LG_TAKE_D): after a rich first offer only once the opponent has improved on it;
 * under a mild discount (or none) only after a rich one, and then only the Umax - 0.15 rule after
 * an improvement of LG_RICH_GAIN Umax. */
static double lg_take(const agentlg *a, double t, double floor)
{
    const base *b = &a->c.b;
    double take = floor, d = 0;
    int rich = lg_rich(b), mild = b->discount > LG_TAKE_D; /* anac-fid28 */
    if (rich && b->best_u <= b->first_u + LG_TIE)
        return take; /* a rich first offer never improved on */
    if (mild && (!rich || b->best_u < b->first_u + LG_RICH_GAIN * b->umax))
        return take;
    if (t > 0.7 && (!a->second || rich))
        d = lg_mix(a, 0.15, a->rank[4]);
    else if (t > 0.42 && !a->second && !mild)
        d = lg_mix(a, 0.13, a->rank[3]);
    if (d > 0 && a->weight < 1)
        d += LG_TIE;
    if (d > 0 && b->umax - d < take)
        take = b->umax - d;
    return take;
}

/* The end rule's time (anac-fid21): GENIUS 10.4's AgentLG takes no offer at its round-100 turn
 * (t = 100/101 = 0.990) in any of its 100-round sessions in bench/genius-data/traces, among them
 * offers equal to the best it received worth 0.755 and 0.815 (Camera, TheFawkes), 0.946 (Energy,
 * Boulware), 0.73 (Grocery, constant) and 0.75 (a line, constant): the description's "agrees to
 * the opponent's best offers" at the very end is kept beyond that turn, where GENIUS's clock of 100
 * rounds never comes (its one 200-round session offers nothing within 0.02 of the best there). */
#define LG_END 0.995

/* The end rule's floor: Umax less 0.5 Umax mixed with its 9th distinct utility's drop by the
 * discount's weight (0.5 Umax at Camera's discount and below). */
static double lg_end_floor(const agentlg *a)
{
    const base *b = &a->c.b;
    return b->umax - lg_mix(a, 0.5 * b->umax, a->rank[LG_STEPS - 1]) - (a->weight < 1 ? LG_TIE : 0);
}

/* The walk's floor after a poor first offer at time t (anac-fid20), set at the first turn of
 * each step. */
static double lg_wall(agentlg *a, double t)
{
    int k = t > 0 ? (int)(t / LG_STEP) : 0;
    for (int j = a->step + 1; j <= k; j++)
        if (j != LG_HOLD_STEP)
            a->wall = (a->least < a->wall ? a->least : a->wall) *
                      (j == LG_LEVEL_STEP && !a->second ? 1 : a->fall);
    if (k > a->step)
        a->step = k;
    return a->wall;
}

/* The first position of its sorted bids worth less than `wall` (n when none): the deepest bid of
 * its cycle, and so the least it takes besides its next bid and the late rules. */
static uint64_t lg_below(const base *b, double wall)
{
    const double *u = b->sp->sorted_u[b->party];
    uint64_t lo = 0, hi = space_bid_count(b->sp, b->party);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (u[mid] < wall)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int lg_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                  void *payload)
{
    (void)payload;
    agentlg *a = state;
    base *b = &a->c.b;
    base_turn(b, turn);
    if (!b->made && !a->second && turn->offer && turn->offer_from != b->party) {
        a->second = 1; /* the second mover: its own Camera drops after a poor first offer */
        lg_poor_drops(a->poor, b->discount, lg_drop_second);
    }
    double t = turn->time, floor = lg_floor(a, t), u;
    uint64_t next = 0;
    if (b->sp->tabulated && b->received && !lg_rich(b)) {
        /* after a poor first offer: the next bid after one worth at least the wall, else its best
         * (anac-fid20); it takes what its cycle's deepest bid is worth */
        const double *su = b->sp->sorted_u[b->party];
        uint64_t n = space_bid_count(b->sp, b->party), deep;
        double wall = lg_wall(a, t);
        int level = a->step == LG_LEVEL_STEP && !a->second; /* the first mover's step 7 */
        if (a->step > LG_HOLD_STEP && floor < wall && !level)
            wall = floor; /* from step 7 the tables' floor when deeper (the Camera seller's) */
        double cap = lg_cap(a);
        next = b->made && t >= LG_STEP && su[a->at] >= wall ? a->at + 1 : 0;
        if (next >= n || su[next] < b->reservation || su[next] < cap)
            next = 0;
        if (next == 0 && b->made && t >= LG_LATE)
            next = a->at; /* late: its last bid again, not its best */
        /* step 0: its best only; in the first mover's step 7 it takes what the fall walks to */
        deep = t >= LG_STEP ? lg_below(b, level ? wall * a->fall : wall) : 0;
        if (cap > su[n - 1]) { /* its deepest bid is the last one worth the cap */
            uint64_t capped = lg_below(b, cap);
            if (capped > 0 && deep >= capped)
                deep = capped - 1;
        }
        floor = deep < n ? su[deep] : su[n - 1];
        if (floor < b->reservation)
            floor = b->reservation;
        u = space_kth_best(b->sp, b->party, next, offer);
    } else if (b->sp->tabulated) {
        /* the next bid down its list, or its best again when the next is below the floor */
        double cap = lg_cap(a);
        if (floor < cap)
            floor = cap;
        next = b->made ? a->at + 1 : 0;
        if (next >= space_bid_count(b->sp, b->party) || b->sp->sorted_u[b->party][next] < floor)
            next = b->made && t >= LG_LATE ? a->at : 0;
        u = space_kth_best(b->sp, b->party, next, offer);
    } else {
        u = pick_for_opponent(b, &a->c.m, floor, 0.03, 16, offer);
    }
    double v = turn->offer_utility;
    int has = turn->offer && turn->offer_from != b->party;
    /* anac_acceptable: at least the reservation value, so the end rule's floor is
     * max(reservation, 0.5 Umax) */
    if (has && anac_acceptable(&a->c, v) &&
        (v >= lg_take(a, t, floor) || v >= u ||
         (t >= LG_END && v >= b->best_u - 0.02 && v >= lg_end_floor(a))))
        return anac_accept(kind);
    a->at = next;
    if (u < a->least)
        a->least = u;
    return anac_offer(&a->c, kind, u);
}

const truce_agent_class agent_agentlg_class = {
    "agentlg", 0, anac_size, lg_init, lg_act, anac_observe, ANAC_SELF(agentlg)};
