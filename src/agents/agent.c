/* agent.c: parameter parsing, acceptance conditions and the registry of
 * built-in agents (names, parameters, descriptions for `truce agents`). */
#include "agent.h"
#include "../core/utf8.h"
#include "anac/anac.h"
#include "external.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_parse(const char *agent, const char *text, param *params, size_t n_params,
                 truce_error *err)
{
    const char *c = text ? text : "";
    while (*c) {
        const char *end = strchr(c, ':');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        char item[128];
        if (len == 0 || len >= sizeof item)
            return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                             "agent '%s': empty or too long parameter in \"%s\"", agent, text);
        memcpy(item, c, len);
        item[len] = '\0';
        char *eq = strchr(item, '=');
        if (!eq)
            return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                             "agent '%s': parameter \"%s\" is not key=value", agent, item);
        *eq = '\0';
        const char *value = eq + 1;
        param *p = NULL;
        for (size_t k = 0; k < n_params; k++)
            if (strcmp(params[k].key, item) == 0)
                p = &params[k];
        if (!p) {
            char known[256] = "";
            for (size_t k = 0; k < n_params; k++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
                         params[k].key);
            return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                             "agent '%s' has no parameter '%s' (it takes: %s)", agent, item,
                             *known ? known : "none");
        }
        if (p->given) /* a later value would silently replace the earlier one */
            return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                             "agent '%s': parameter '%s' given twice in \"%s\"", agent, item,
                             text);
        if (p->word[0]) { /* a word parameter (its default is a word) */
            if (!*value || strlen(value) >= sizeof p->word)
                return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                                 "agent '%s': parameter %s=\"%s\" is empty or too long", agent,
                                 item, value);
            snprintf(p->word, sizeof p->word, "%s", value);
        } else {
            char *num_end;
            errno = 0;
            double d = strtod(value, &num_end);
            if (num_end == value || *num_end || errno || !isfinite(d))
                return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                                 "agent '%s': parameter %s=\"%s\" is not a number", agent, item,
                                 value);
            p->number = d;
        }
        p->given = 1;
        c = end ? end + 1 : c + len;
    }
    return 0;
}

int param_check(const char *agent, const param *p, double lo, double hi, truce_error *err)
{
    if (p->number < lo || p->number > hi)
        return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                         "agent '%s': parameter %s=%g is outside [%g, %g]", agent, p->key,
                         p->number, lo, hi);
    return 0;
}

int param_floor(const char *agent, const param *p, int *none, truce_error *err)
{
    *none = p && !strcmp(p->word, "none");
    if (p && !*none && strcmp(p->word, "reservation"))
        return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                         "agent '%s': floor=\"%s\" is not reservation or none", agent, p->word);
    return 0;
}

static const param *find(const param *params, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(params[k].key, key) == 0)
            return &params[k];
    return NULL;
}

int acceptance_setup(acceptance *ac, const char *agent, const param *params, size_t n_params,
                     const truce_agent_setup *setup, double reservation, truce_error *err)
{
    ac->max_rounds = setup->max_rounds;
    const param *w = find(params, n_params, "ac"), *floor = find(params, n_params, "floor");
    ac->which = AC_NEXT;
    int none, rc = param_floor(agent, floor, &none, err);
    if (rc)
        return rc;
    ac->floor = !none;
    if (w && w->word[0]) {
        ac->which = 0;
        char buf[32];
        snprintf(buf, sizeof buf, "%s", w->word);
        for (char *tok = buf; tok && *tok;) {
            char *plus = strchr(tok, '+');
            if (plus)
                *plus = '\0';
            if (!strcmp(tok, "next"))
                ac->which |= AC_NEXT;
            else if (!strcmp(tok, "const"))
                ac->which |= AC_CONST;
            else if (!strcmp(tok, "time"))
                ac->which |= AC_TIME;
            else if (!strcmp(tok, "last"))
                ac->which |= AC_LAST;
            else
                return error_set(err, TRUCE_EINVAL, NULL, 0, agent,
                                 "agent '%s': acceptance condition \"%s\" is not next, const, "
                                 "time or last (join several with '+')",
                                 agent, tok);
            tok = plus ? plus + 1 : NULL;
        }
    }
    const param *a = find(params, n_params, "a"), *b = find(params, n_params, "b");
    const param *c = find(params, n_params, "c"), *T = find(params, n_params, "T");
    if ((rc = param_check(agent, a, 0, 10, err)) || (rc = param_check(agent, b, -1, 1, err)) ||
        (rc = param_check(agent, c, 0, 1, err)) || (rc = param_check(agent, T, 0, 1, err)))
        return rc;
    ac->a = a->number;
    ac->b = b->number;
    ac->c = c->number;
    ac->T = T->number;
    ac->reservation = reservation;
    return 0;
}

int acceptance_ok(const acceptance *ac, double offer, double next_bid, const truce_turn *turn)
{
    if (ac->floor && offer < ac->reservation)
        return 0;
    if ((ac->which & AC_NEXT) && ac->a * offer + ac->b >= next_bid)
        return 1;
    if ((ac->which & AC_CONST) && offer >= ac->c)
        return 1;
    if ((ac->which & AC_TIME) && turn->time >= ac->T)
        return 1;
    /* the last round; with a deadline in seconds, the last 2% of the time */
    if ((ac->which & AC_LAST) &&
        (ac->max_rounds ? turn->round >= ac->max_rounds : turn->time >= 0.98))
        return 1;
    return 0;
}

double agent_reservation(const truce_agent_setup *setup)
{
    return setup->space->s->parties[setup->party].reservation;
}

typedef struct entry {
    const truce_agent_class *cls;
    const char *params;
    const char *description;
    const truce_agent_param *info; /* what each parameter means (n_info of them) */
    size_t n_info;
} entry;

#define AC_HELP                                                                                    \
    "ac=next|const|time|last (or joined with +), a=1, b=0, c=1, T=1, floor=reservation|none"

/* The acceptance parameters every bidding agent but micro and random takes. */
#define AC_INFO(ac_default)                                                                        \
    {"ac", ac_default, "next, const, time, last, or several joined with +",                        \
     "acceptance conditions, any of which accepts: next: a*u(offer) + b >= u(the bid it would "    \
     "make now); const: u(offer) >= c; time: t >= T; last: the deadline's last round (with a "     \
     "deadline in seconds, t >= 0.98)"},                                                           \
        {"a", "1", "0 to 10", "ac=next: the factor on the offer's utility"},                       \
        {"b", "0", "-1 to 1", "ac=next: the margin added to the offer's utility"},                 \
        {"c", "1", "0 to 1", "ac=const: the utility accepted"},                                    \
        {"T", "1", "0 to 1", "ac=time: the relative time from which any offer is accepted"},       \
    {                                                                                              \
        "floor", "reservation", "reservation or none",                                             \
            "reservation: never accept below the reservation value; none: the conditions alone "   \
            "decide (GENIUS's TimeDependentAgent)"                                                 \
    }

#define TIMEDEP_INFO(e_default)                                                                    \
    {"e", e_default, "0 to 100",                                                                   \
     "concession exponent of F(t) = k + (1-k) t^(1/e): below 1 concedes late, above 1 early, 0 "   \
     "never"},                                                                                     \
        {"k", "0", "0 to 1", "initial concession F(0)"},                                           \
        {"bid", "at-least", "at-least or nearest",                                                 \
         "at-least: the outcome with the smallest utility at or above the target; nearest: the "   \
         "one GENIUS's SortedOutcomeSpace returns (possibly below it)"},                           \
        AC_INFO("next")

static const truce_agent_param boulware_info[] = {TIMEDEP_INFO("0.2")};
static const truce_agent_param linear_info[] = {TIMEDEP_INFO("1")};
static const truce_agent_param conceder_info[] = {TIMEDEP_INFO("2")};
static const truce_agent_param random_info[] = {
    {"p", "0.1", "0 to 1", "probability of accepting an offer above its reservation value"}};
static const truce_agent_param tft_info[] = {
    {"d", "1", "0 to 10",
     "the fraction of the opponents' concession (in its own utility) it returns"},
    AC_INFO("next+last")};
static const truce_agent_param micro_info[] = {
    {"count", "standing", "standing or every",
     "received bids that let it concede: standing: the distinct offers standing at its turns; "
     "every: every distinct offer of another party (NegMAS); the same bilaterally"}};
static const truce_agent_param hardheaded_info[] = {
    {"e", "0.05", "0 to 100", "Boulware exponent of its target curve"},
    {"w", "0.05", "0 to 1", "width of the window [target, target + w] its bids are chosen in"},
    AC_INFO("next")};
static const truce_agent_param boa_info[] = {
    {"bid", "timedep:e=0.2", "timedep, boulware, linear, conceder, tft, hardliner (NAME:k=v...)",
     "bidding strategy and its parameters (docs/anac-agents.md)"},
    {"model", "none", "none, frequency, smith, cuhk, bayes", "opponent model"},
    {"oms", "none (best with a model)", "none, best, random (with :w=, :n=)",
     "opponent-model strategy: which bid of the window [target, target + w] to offer"},
    {"accept", "next", "next, prev, const, time, gap, combi, combiavg, combimax (joined with +)",
     "acceptance conditions (docs/anac-agents.md)"}};

#define INFO(table) table, sizeof table / sizeof table[0]

static const entry registry[] = {
    {&agent_boulware_class, "e=0.2, k=0, bid=at-least|nearest, " AC_HELP,
     "time-dependent, concedes late: target Pmin+(Pmax-Pmin)(1-F(t)), F=k+(1-k)t^(1/e) "
     "(Faratin et al. 1998; GENIUS's TimeDependentAgentBoulware)",
     INFO(boulware_info)},
    {&agent_linear_class, "e=1, k=0, bid=at-least|nearest, " AC_HELP,
     "time-dependent, concedes at a constant rate (e=1)", INFO(linear_info)},
    {&agent_conceder_class, "e=2, k=0, bid=at-least|nearest, " AC_HELP,
     "time-dependent, concedes early (e=2; GENIUS's TimeDependentAgentConceder)",
     INFO(conceder_info)},
    {&agent_timedep_class, "e=1, k=0, bid=at-least|nearest, " AC_HELP,
     "the time-dependent family with any e and k", INFO(linear_info)},
    {&agent_hardliner_class, "(none)", "always offers its best outcome and accepts nothing less",
     NULL, 0},
    {&agent_random_class, "p=0.1",
     "offers random outcomes above its reservation value; accepts with probability p",
     INFO(random_info)},
    {&agent_tft_class, "d=1, ac=next+last, a=1, b=0, c=1, T=1, floor=reservation|none",
     "relative tit-for-tat, nice variant: concedes in proportion d to the opponents' "
     "concessions measured in its own utility, never below its reservation; accepts in the "
     "last round (Faratin et al. 1998; Baarslag et al. 2013)",
     INFO(tft_info)},
    {&agent_micro_class, "count=standing|every",
     "MiCRO: concedes one bid only after receiving a new distinct bid (de Jonge 2022)",
     INFO(micro_info)},
    {&agent_hardheaded_class, "e=0.05, w=0.05, " AC_HELP,
     "HardHeaded family: Boulware bidding choosing, among bids near its target, the best "
     "for a frequency-based opponent model (van Krimpen et al. 2013); accepts against its "
     "target",
     INFO(hardheaded_info)},
    {&agent_boa_class, "bid=timedep:e=0.2, model=none, oms=none, accept=next (docs/anac-agents.md)",
     "BOA: a bidding strategy, opponent model, opponent-model strategy and acceptance "
     "condition composed by name (Baarslag et al. 2014), e.g. "
     "boa:bid=timedep:e=0.2,model=frequency,oms=best,accept=combi:T=0.98",
     INFO(boa_info)},
};

#define N_BUILTIN (sizeof registry / sizeof registry[0])
/* the ANAC agents (src/agents/anac/) follow the built-ins */
#define N_AGENTS (N_BUILTIN + anac_agent_count)
#define ANAC(i) (&anac_agents[(i)-N_BUILTIN])

size_t truce_agent_count(void)
{
    return N_AGENTS;
}

const char *truce_agent_name(size_t i)
{
    return i < N_BUILTIN ? registry[i].cls->name : i < N_AGENTS ? ANAC(i)->cls->name : NULL;
}

const char *truce_agent_params(size_t i)
{
    return i < N_BUILTIN ? registry[i].params : i < N_AGENTS ? ANAC(i)->params : NULL;
}

const char *truce_agent_description(size_t i)
{
    return i < N_BUILTIN ? registry[i].description : i < N_AGENTS ? ANAC(i)->description : NULL;
}

int truce_agent_year(size_t i)
{
    return i >= N_BUILTIN && i < N_AGENTS ? ANAC(i)->year : 0;
}

const char *truce_agent_reference(size_t i)
{
    return i >= N_BUILTIN && i < N_AGENTS ? ANAC(i)->reference : NULL;
}

size_t truce_agent_param_count(size_t i)
{
    return i < N_BUILTIN ? registry[i].n_info : 0;
}

const truce_agent_param *truce_agent_param_info(size_t i, size_t k)
{
    return i < N_BUILTIN && k < registry[i].n_info ? &registry[i].info[k] : NULL;
}

const truce_agent_class *truce_agent_find(const char *name)
{
    for (size_t i = 0; i < N_AGENTS; i++)
        if (strcmp(truce_agent_name(i), name) == 0)
            return i < N_BUILTIN ? registry[i].cls : ANAC(i)->cls;
    return NULL;
}

int truce_agent_parse(truce_agent_spec *out, const char *text, truce_error *err)
{
    error_clear(err);
    if (!out || !text)
        return error_set(err, TRUCE_EINVAL, NULL, 0, NULL, "NULL argument");
    /* a specification is written into traces, databases and JSON: it must be UTF-8 text */
    if (!utf8_valid(text))
        return error_set(err, TRUCE_EINVAL, NULL, 0, "agents",
                         "agent specification is not UTF-8 text");
    /* agents written outside truce: the rest is "PATH[:k=v...]" / "COMMAND[:k=v...]" */
    const truce_agent_class *external =
        !strncmp(text, "lua:", 4) || !strcmp(text, "lua")         ? &agent_lua_class
        : !strncmp(text, "proc:", 5) || !strcmp(text, "proc")     ? &agent_proc_class
        : !strncmp(text, "replay:", 7) || !strcmp(text, "replay") ? &agent_replay_class
                                                                  : NULL;
    if (external) {
        const char *rest = text + strlen(external->name);
        rest += *rest == ':';
        if (!*rest || *rest == ':')
            return error_set(err, TRUCE_EINVAL, NULL, 0, "agents", "agent '%s' needs %s, as in %s",
                             external->name,
                             external == &agent_lua_class    ? "a script path"
                             : external == &agent_proc_class ? "a command"
                                                             : "a trace to replay",
                             external == &agent_lua_class    ? "lua:my_agent.lua:key=value"
                             : external == &agent_proc_class ? "proc:./my_agent:timeout=5"
                                                             : "replay:session.jsonl:actor=0");
        out->cls = external;
        out->params = rest;
        return 0;
    }
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    char name[64];
    if (len == 0 || len >= sizeof name)
        return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "agents",
                         "empty or too long agent name in \"%s\"", text);
    memcpy(name, text, len);
    name[len] = '\0';
    const truce_agent_class *cls = truce_agent_find(name);
    if (!cls) {
        char known[1024] = "";
        for (size_t i = 0; i < N_AGENTS; i++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                     truce_agent_name(i));
        return error_set(err, TRUCE_ENOTFOUND, NULL, 0, "agents",
                         "unknown agent '%s' (known: %s; see 'truce agents')", name, known);
    }
    out->cls = cls;
    out->params = colon ? colon + 1 : "";
    return 0;
}
