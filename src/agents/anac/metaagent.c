/* metaagent.c: MetaAgent (ANAC 2012 finalist; MetaAgent2013 second in ANAC
 * 2013). Ilany and Gal (2016), "Algorithm selection in bilateral
 * negotiation", Autonomous Agents and Multi-Agent Systems 30(4), pp.
 * 697-723 (first as "MetaAgent" in the ANAC 2012 and 2013 reports).
 *
 * From the paper: MetaAgent does not negotiate itself: at the start it
 * computes features of the scenario as it sees it (number of issues, size
 * of the outcome space, discount factor, reservation value, mean and spread
 * of its own utility over the outcomes) and hands the whole session to the
 * agent of a portfolio of earlier ANAC agents that a model learnt offline
 * from those features predicts will score best.
 * Choices: the portfolio is truce's own ANAC 2011 agents (hardheaded2011,
 * gahboninho, iamhaggler2011) and agentk; the learnt model (trained on ANAC
 * 2011 tournament data truce does not have) is replaced by a rule in the
 * same features fitted to the choices GENIUS 10.4's MetaAgent makes (its
 * sessions against Boulware on 23 ANAC 2010, 2011 and 2013 scenarios, matched
 * to GENIUS's own Gahboninho and HardHeaded; docs/anac-agents.md, anac-fid16
 * (MetaAgent's choice)), in order: 100,000 outcomes or more, or a reservation
 * value of at least 0.7 of its best utility -> hardheaded2011; a discount
 * factor of 0.5 or less on 10 to 99 outcomes -> iamhaggler2011; own-utility
 * standard deviation below 0.07 (a flat scenario) -> agentk; otherwise
 * gahboninho. The spread is the standard deviation of its utility over the outcomes drawn
 * uniformly (each issue's option at random): for a linear additive profile whose sums stay within
 * GENIUS's cap at 1, exactly, the sum of the issues' variances (the options of different issues
 * are independent in such a draw), the same for every seed; otherwise estimated from 256 such
 * draws with the agent's seeded generator (until the fifteenth session always: the estimate's
 * standard error, about 0.003 there, made the choice a draw on scenarios near 0.07, IS_BT's BT
 * party at 0.0672, and its 256 utilities were most of MetaAgent's own work).
 * `use=NAME` forces one agent of the portfolio. */
#include <math.h>
#include <string.h>

#include "anac.h"

static const char *const portfolio[] = {"hardheaded2011", "gahboninho", "iamhaggler2011", "agentk"};
#define N_PORTFOLIO (sizeof portfolio / sizeof portfolio[0])

typedef struct meta {
    member m;
    size_t chosen;
} meta;

static size_t meta_size(const truce_space *sp, void *payload)
{
    (void)payload;
    size_t most = 0;
    for (size_t k = 0; k < N_PORTFOLIO; k++) {
        size_t n = member_bytes(anac_class(portfolio[k]), sp);
        if (n > most)
            most = n;
    }
    return CARVE_ROUND(sizeof(meta)) + most + 16;
}

/* The standard deviation of party who's utility over outcomes drawn uniformly (header). */
static double spread(const truce_space *sp, size_t who, uint64_t seed)
{
    const truce_scenario *s = sp->s;
    const party *p = &s->parties[who];
    double var = 0;
    if (p->kind == TRUCE_PROFILE_LINEAR && p->table && linear_max_sum(s, p) <= 1) {
        for (size_t i = 0; i < s->n_issues; i++) {
            const double *v = &p->table[s->option_offset[i]];
            uint32_t n = s->issues[i].n_options;
            double mean = 0, sq = 0;
            for (uint32_t k = 0; k < n; k++)
                mean += v[k];
            mean /= n;
            for (uint32_t k = 0; k < n; k++)
                sq += (v[k] - mean) * (v[k] - mean);
            var += sq / n;
        }
        return sqrt(var);
    }
    rng r;
    rng_seed(&r, seed);
    uint32_t o[4096];
    double sum = 0, sumsq = 0;
    for (int k = 0; k < 256; k++) {
        for (size_t i = 0; i < s->n_issues; i++)
            o[i] = (uint32_t)rng_below(&r, s->issues[i].n_options);
        double u = space_utility(sp, who, o);
        sum += u;
        sumsq += u * u;
    }
    double mean = sum / 256;
    var = sumsq / 256 - mean * mean;
    return sqrt(var > 0 ? var : 0);
}

/* The rule above; features from the agent's own profile only. */
static size_t choose(const truce_agent_setup *setup)
{
    const truce_space *sp = setup->space;
    const truce_scenario *s = sp->s;
    size_t who = setup->party;
    double d = s->parties[who].discount;
    double outcomes = 1;
    for (size_t i = 0; i < s->n_issues; i++)
        outcomes *= s->issues[i].n_options;
    double umax = sp->best_u[who], res = agent_reservation(setup);
    if (outcomes >= 100000 || res >= 0.7 * umax || s->n_issues > 4096)
        return 0;
    if (d > 0 && d <= 0.5 && outcomes >= 10 && outcomes < 100)
        return 2;
    return spread(sp, who, setup->seed) < 0.07 ? 3 : 1;
}

static int meta_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    meta *a = state;
    param p[1] = {{"use", 0, "auto", 0}};
    int rc = params_parse("metaagent", setup->params, p, 1, err);
    if (rc)
        return rc;
    if (!strcmp(p[0].word, "auto")) {
        a->chosen = choose(setup);
    } else {
        a->chosen = N_PORTFOLIO;
        for (size_t k = 0; k < N_PORTFOLIO; k++)
            if (!strcmp(p[0].word, portfolio[k]))
                a->chosen = k;
        if (a->chosen == N_PORTFOLIO)
            return error_set(err, TRUCE_EINVAL, NULL, 0, "use",
                             "agent 'metaagent': use=\"%s\" is not one of hardheaded2011, "
                             "gahboninho, iamhaggler2011, agentk",
                             p[0].word);
    }
    char *cursor = (char *)a + CARVE_ROUND(sizeof(meta));
    return member_start(&a->m, anac_class(portfolio[a->chosen]), setup, 0, &cursor, err);
}

static int meta_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                    void *payload)
{
    (void)payload;
    meta *a = state;
    return a->m.cls->act(a->m.state, turn, kind, offer, a->m.cls->payload);
}

static void meta_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    meta *a = state;
    if (a->m.cls->observe)
        a->m.cls->observe(a->m.state, ev, a->m.cls->payload);
}

const truce_agent_class agent_metaagent_class = {"metaagent",  0,   meta_size, meta_init, meta_act,
                                                 meta_observe, NULL};
