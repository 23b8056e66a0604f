/* margin.h: how far a conclusion is from flipping: the numbers of a model
 * (weights, option values, reservation values), the values at which one
 * number alone flips a conclusion, and the conclusions every command draws
 * (docs/robustness.md#margins). */
#ifndef TRUCE_ANALYSIS_MARGIN_H
#define TRUCE_ANALYSIS_MARGIN_H

#include <jansson.h>

#include "../core/variant.h"

/* One number of the model and the range a search moves it in. */
typedef struct numref {
    int target; /* uncertain_target */
    size_t party;
    uint32_t issue, index;
    double value;  /* as the scenario holds it */
    double lo, hi; /* searched range */
} numref;

/* A conclusion drawn on a scenario: its answer as a class (the search looks
 * for the values where the class changes) and, when margin is not NULL, a
 * continuous margin (positive on one side). Returns the class, or a negative
 * code on failure (err filled). */
typedef int (*margin_classify)(const truce_scenario *s, void *ctx, double *margin,
                               truce_error *err);

/* Every number of the parties flagged in who (NULL: all): the weight of
 * each issue it values, the value of each option of a discrete issue it
 * weighs, its reservation value (each point of a time-dependent one). The
 * ranges are the numbers' domains: weights and values [0, max(1, 2v)],
 * reservation values [0, 1]. *out is malloc'd. 0 or TRUCE_ENOMEM. */
int margin_numbers(const truce_scenario *s, const unsigned char *who, numref **out, size_t *n);

/* Nearest values of n below and above its current value (NAN when none in
 * its range) at which classify's class differs from `central`: a scan of
 * `steps` steps each way, then bisection. The variant is left as it was. */
int margin_flips(variant *v, const numref *n, int central, margin_classify f, void *ctx, int steps,
                 double *below, double *above, truce_error *err);

/* An id ("usa.weight.ceasefire") and a phrase ("usa's weight on ceasefire")
 * naming a number of s. */
void margin_name(const truce_scenario *s, int target, size_t party, uint32_t issue, uint32_t index,
                 char *id, size_t id_size, char *text, size_t text_size);

/* The smallest changes of one number (among the numbers of the parties in
 * who) that flip the conclusion f draws on s, at most `limit`, smallest
 * first, as JSON {conclusion, margin, flips: [{number, party, kind, value,
 * flips_at, change, text}], searched, method}. `conclusion` says what is
 * concluded now ("the zone of agreement is empty"). */
int margin_report(json_t **out, const truce_scenario *s, const unsigned char *who,
                  margin_classify f, void *ctx, const char *conclusion, size_t limit,
                  truce_error *err);

/* Conclusions the commands draw. */
typedef struct zone_ctx {
    arena a;                   /* reused between calls */
    truce_analysis_options ao; /* of the analysis solving each changed scenario; its time
                                  reads the reservation values */
    double work;               /* work left (bargainers' utilities of outcomes walked and of
                                  frontier points found); below 0 the search gives up */
    int exhausted;             /* set when it did: margin_zone_open then fails (TRUCE_ELIMIT) */
} zone_ctx;
/* A frontier point found by a solve costs this much more than an outcome
 * walked (the merge or search behind it handles many more). */
#define MARGIN_SOLVE_WORK 1000.0
/* 1 when the zone is open (margin: the zone margin of solve.h). */
int margin_zone_open(const truce_scenario *s, void *ctx, double *margin, truce_error *err);

typedef struct deal_ctx {
    const uint32_t *outcome;
    size_t party;
    double time;
} deal_ctx;
/* 1 when party accepts the deal (within its hard conditions, utility above
 * its reservation value at the time; margin: utility - reservation). */
int margin_deal_accepted(const truce_scenario *s, void *ctx, double *margin, truce_error *err);

/* margin_report of margin_deal_accepted for one party and deal: the
 * smallest changes of the party's own numbers (at most 3) that flip whether
 * it accepts the deal. */
int margin_deal_report(json_t **out, const truce_scenario *s, const uint32_t *outcome, size_t party,
                       double time, truce_error *err);

/* 1 when the zone search, a variant and the analysis are cheap enough to
 * repeat a few thousand times: the feasible frame is solved by additive
 * merge, or has at most `enumerate` outcomes; and, when it is too large to
 * walk (so each step solves it), `solves` solves of a frontier of
 * `n_frontier` points cost at most `work` (zone_ctx.work's units). */
int margin_zone_searchable(const truce_scenario *s, double enumerate, size_t n_frontier,
                           double solves, double work);

#endif
