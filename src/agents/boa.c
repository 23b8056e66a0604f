/* boa.c: the BOA agent (Baarslag et al. 2014, "Decoupling negotiating agents
 * to explore the space of negotiation strategies"): a bidding strategy, an
 * opponent model, an opponent-model strategy and an acceptance condition,
 * each chosen by name, composed in one spec:
 *   boa:bid=timedep:e=0.2,model=frequency,oms=best:w=0.05,accept=combi:T=0.98 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "anac/anac.h"

enum { BID_TIMEDEP, BID_TFT, BID_HARDLINER };
enum { OMS_NONE, OMS_BEST, OMS_RANDOM };
enum {
    ACC_NEXT = 1,
    ACC_PREV = 2,
    ACC_CONST = 4,
    ACC_TIME = 8,
    ACC_GAP = 16,
    ACC_COMBI = 32,    /* next, or after T the best offer of the last (1 - t) of time */
    ACC_COMBIAVG = 64, /* next, or after T the mean offer of that window */
    ACC_COMBIMAX = 128 /* next, or after T the best offer so far */
};

typedef struct boa {
    base b;
    om m;
    int bid, oms, accept;
    double e, k, d;    /* bidding */
    double w;          /* oms: width above the target */
    int candidates;    /* oms */
    double a, c, g, T; /* acceptance: a (and b of AC_next), c, gap g, time T */
    double ac_b;
    double first_u, best_u; /* tft */
    window win;
} boa;

static size_t boa_size(const truce_space *sp, void *payload)
{
    (void)payload;
    return sizeof(boa) + base_bytes(sp) + om_bytes(truce_space_scenario(sp));
}

static const char *const acc_names[] = {"next", "prev",  "const",    "time",
                                        "gap",  "combi", "combiavg", "combimax"};

/* One component "NAME[:k=v...]" of role `role`: its name into `name`, its parameters
 * parsed into params. */
static int component(const char *role, const char *text, char *name, size_t name_size,
                     param *params, size_t n, truce_error *err)
{
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    if (len == 0 || len >= name_size)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "boa",
                         "agent 'boa': empty or too long %s "
                         "name in \"%s\"",
                         role, text);
    memcpy(name, text, len);
    name[len] = '\0';
    char label[80];
    snprintf(label, sizeof label, "boa %s=%s", role, name);
    return params_parse(label, colon ? colon + 1 : "", params, n, err);
}

static int bad(truce_error *err, const char *role, const char *name, const char *known)
{
    return error_set(err, TRUCE_EINVAL, NULL, 0, "boa", "agent 'boa': unknown %s '%s' (known: %s)",
                     role, name, known);
}

static int set_bid(boa *a, const char *text, truce_error *err)
{
    char name[32];
    param p[3] = {{"e", 0.2, "", 0}, {"k", 0, "", 0}, {"d", 1, "", 0}};
    int rc = component("bid", text, name, sizeof name, p, 3, err);
    if (rc || (rc = param_check("boa bid", &p[0], 0, 100, err)) ||
        (rc = param_check("boa bid", &p[1], 0, 1, err)) ||
        (rc = param_check("boa bid", &p[2], 0, 10, err)))
        return rc;
    a->e = p[0].number;
    a->k = p[1].number;
    a->d = p[2].number;
    if (!strcmp(name, "timedep"))
        a->bid = BID_TIMEDEP;
    else if (!strcmp(name, "boulware") || !strcmp(name, "conceder") || !strcmp(name, "linear")) {
        a->bid = BID_TIMEDEP;
        if (!p[0].given)
            a->e = name[0] == 'b' ? 0.2 : name[0] == 'c' ? 2 : 1;
    } else if (!strcmp(name, "tft"))
        a->bid = BID_TFT;
    else if (!strcmp(name, "hardliner"))
        a->bid = BID_HARDLINER;
    else
        return bad(err, "bidding strategy", name,
                   "timedep, boulware, linear, conceder, tft, "
                   "hardliner");
    return 0;
}

static int set_model(boa *a, const char *text, truce_error *err)
{
    char name[32];
    int rc = component("model", text, name, sizeof name, NULL, 0, err);
    if (rc)
        return rc;
    int kind = om_kind(name);
    if (kind < 0)
        return bad(err, "opponent model", name, "none, frequency, smith, cuhk, bayes");
    om_init(&a->m, kind, a->b.s, &(char *){(char *)(a + 1) + base_bytes(a->b.sp)});
    return 0;
}

static int set_oms(boa *a, const char *text, truce_error *err)
{
    char name[32];
    param p[2] = {{"w", 0.05, "", 0}, {"n", 16, "", 0}};
    int rc = component("oms", text, name, sizeof name, p, 2, err);
    if (rc || (rc = param_check("boa oms", &p[0], 0, 1, err)) ||
        (rc = param_check("boa oms", &p[1], 1, 64, err)))
        return rc;
    a->w = p[0].number;
    a->candidates = (int)p[1].number;
    if (!strcmp(name, "none"))
        a->oms = OMS_NONE;
    else if (!strcmp(name, "best"))
        a->oms = OMS_BEST;
    else if (!strcmp(name, "random"))
        a->oms = OMS_RANDOM;
    else
        return bad(err, "opponent-model strategy", name, "none, best, random");
    return 0;
}

static int set_accept(boa *a, const char *text, truce_error *err)
{
    char name[64];
    param p[5] = {
        {"a", 1, "", 0}, {"b", 0, "", 0}, {"c", 1, "", 0}, {"g", 0.02, "", 0}, {"T", 0.98, "", 0}};
    int rc = component("accept", text, name, sizeof name, p, 5, err);
    if (rc || (rc = param_check("boa accept", &p[0], 0, 10, err)) ||
        (rc = param_check("boa accept", &p[1], -1, 1, err)) ||
        (rc = param_check("boa accept", &p[2], 0, 1, err)) ||
        (rc = param_check("boa accept", &p[3], 0, 1, err)) ||
        (rc = param_check("boa accept", &p[4], 0, 1, err)))
        return rc;
    a->a = p[0].number;
    a->ac_b = p[1].number;
    a->c = p[2].number;
    a->g = p[3].number;
    a->T = p[4].number;
    a->accept = 0;
    for (char *tok = name; tok && *tok;) {
        char *plus = strchr(tok, '+');
        if (plus)
            *plus = '\0';
        size_t k = 0;
        while (k < sizeof acc_names / sizeof acc_names[0] && strcmp(acc_names[k], tok))
            k++;
        if (k == sizeof acc_names / sizeof acc_names[0])
            return bad(err, "acceptance condition", tok,
                       "next, prev, const, time, gap, combi, combiavg, combimax (join with +)");
        a->accept |= 1 << k;
        tok = plus ? plus + 1 : NULL;
    }
    return 0;
}

static int boa_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    boa *a = state;
    char *cursor = (char *)(a + 1);
    base_init(&a->b, setup, &cursor);
    window_init(&a->win);
    a->first_u = -1;
    int rc;
    if ((rc = set_bid(a, "timedep", err)) || (rc = set_model(a, "none", err)) ||
        (rc = set_oms(a, "none", err)) || (rc = set_accept(a, "next", err)))
        return rc;
    int oms_given = 0;
    char buf[512];
    if (strlen(setup->params) >= sizeof buf)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "boa", "agent 'boa': spec too long");
    snprintf(buf, sizeof buf, "%s", setup->params);
    for (char *tok = buf; tok && *tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        char *eq = strchr(tok, '=');
        if (!eq)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "boa",
                             "agent 'boa': \"%s\" is not ROLE=NAME (roles: bid, model, oms, "
                             "accept)",
                             tok);
        *eq = '\0';
        const char *value = eq + 1;
        if (!strcmp(tok, "bid"))
            rc = set_bid(a, value, err);
        else if (!strcmp(tok, "model"))
            rc = set_model(a, value, err);
        else if (!strcmp(tok, "oms")) {
            rc = set_oms(a, value, err);
            oms_given = 1;
        } else if (!strcmp(tok, "accept"))
            rc = set_accept(a, value, err);
        else
            return error_set(err, TRUCE_EINVAL, NULL, 0, "boa",
                             "agent 'boa' has no component '%s' (it takes: bid, model, oms, "
                             "accept)",
                             tok);
        if (rc)
            return rc;
        tok = comma ? comma + 1 : NULL;
    }
    /* with a model and no strategy to use it, offer the best bid for the opponent */
    if (!oms_given && a->m.kind != OM_NONE)
        a->oms = OMS_BEST;
    return 0;
}

static double boa_target(const boa *a, double t)
{
    double lo = a->b.reservation > a->b.umin ? a->b.reservation : a->b.umin;
    if (lo > a->b.umax)
        lo = a->b.umax;
    if (a->bid == BID_HARDLINER)
        return a->b.umax;
    if (a->bid == BID_TFT)
        return tft_target(a->b.umax, lo, a->d, a->first_u, a->best_u);
    double f = a->e <= 0 ? a->k : a->k + (1 - a->k) * pow(t, 1 / a->e);
    return lo + (a->b.umax - lo) * (1 - f);
}

static int boa_accepts(const boa *a, double offer, double next, double t)
{
    if (offer < a->b.reservation)
        return 0;
    int w = a->accept;
    if ((w & (ACC_NEXT | ACC_COMBI | ACC_COMBIAVG | ACC_COMBIMAX)) &&
        a->a * offer + a->ac_b >= next)
        return 1;
    if ((w & ACC_PREV) && a->b.made && a->a * offer + a->ac_b >= a->b.own_last_u)
        return 1;
    if ((w & ACC_CONST) && offer >= a->c)
        return 1;
    if ((w & ACC_TIME) && t >= a->T)
        return 1;
    if ((w & ACC_GAP) && a->b.made && offer + a->g >= a->b.own_last_u)
        return 1;
    if (t >= a->T) {
        /* the window: the last (1 - t) of time, as long as what is left */
        double from = t - (1 - t);
        if ((w & ACC_COMBI) && offer >= window_max(&a->win, from, t))
            return 1;
        if ((w & ACC_COMBIAVG) && offer >= window_mean(&a->win, from, t))
            return 1;
        if ((w & ACC_COMBIMAX) && offer >= a->b.best_u)
            return 1;
    }
    return 0;
}

static void boa_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    boa *a = state;
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == a->b.party)
        return;
    base_received(&a->b, ev);
    om_observe(&a->m, ev->offer, ev->time);
    /* the window records offers at the time they were made */
    window_add(&a->win, ev->time, base_utility(&a->b, ev->offer));
}

static int boa_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                   void *payload)
{
    (void)payload;
    boa *a = state;
    base_turn(&a->b, turn);
    if (turn->offer && turn->offer_from != a->b.party) {
        if (a->first_u < 0)
            a->first_u = a->best_u = turn->offer_utility;
        else if (turn->offer_utility > a->best_u)
            a->best_u = turn->offer_utility;
    }
    double target = boa_target(a, turn->time), u;
    if (a->oms == OMS_BEST)
        u = pick_for_opponent(&a->b, &a->m, target, a->w, a->candidates, offer);
    else if (a->oms == OMS_RANDOM)
        u = base_random_between(&a->b, target, target + a->w, offer);
    else
        u = base_bid(&a->b, target, offer);
    if (agent_may_accept(turn) && boa_accepts(a, turn->offer_utility, u, turn->time)) {
        *kind = TRUCE_ACTION_ACCEPT;
        return 0;
    }
    base_offered(&a->b, u);
    *kind = TRUCE_ACTION_OFFER;
    return 0;
}

const truce_agent_class agent_boa_class = {"boa",   0,           boa_size, boa_init,
                                           boa_act, boa_observe, NULL};
