/* variant.h: a scenario with other numbers. A variant shares everything of
 * a loaded scenario (issues, names, clauses, channels) but holds its own
 * copy of the numbers that may change (weights, option values, reservation
 * values, influence weights, which hard conditions are real) and of what is
 * derived from them (utility tables, allowed and feasible options), so that
 * every analysis runs on it unchanged without reloading anything. Used by
 * truce_robust (one variant per thread, one draw per sample) and by the
 * margin search (one number moved at a time). */
#ifndef TRUCE_CORE_VARIANT_H
#define TRUCE_CORE_VARIANT_H

#include "arena.h"
#include "scenario.h"

typedef struct variant {
    struct truce_scenario s; /* read this one (&v->s); never freed on its own */
    const truce_scenario *base;
    arena a;
    size_t *raw_offset;  /* per party * issue: start of its option values in raw, or SIZE_MAX */
    double *raw;         /* copies of discrete option values */
    evaluator *ev;       /* per party * issue */
    double *tables;      /* per party * option slot */
    double *res_points;  /* per party: copies of reservation point values */
    size_t *res_offset;  /* per party */
    condition *hard;     /* per party: its real hard conditions, compacted */
    size_t *hard_offset; /* per party */
    unsigned char *real; /* per party * hard condition (base order): 1 real, 0 a bluff */
    unsigned char *allowed;
    unsigned char *feasible;
    uint32_t *counts;
    influence *influences;
    unsigned char *dirty; /* per party: table to rebuild */
    int hard_dirty;       /* which hard conditions are real changed */
} variant;

/* A variant of base holding base's own numbers. 0 or TRUCE_ENOMEM (nothing
 * to release then). base must outlive it. */
int variant_init(variant *v, const truce_scenario *base, const truce_allocator *allocator);
void variant_release(variant *v);

/* Set one number (target, party, issue, index as in struct uncertain);
 * call variant_refresh before reading the scenario. Credibility: value
 * >= 0.5 makes the condition real, below a bluff. */
void variant_set(variant *v, int target, size_t party, uint32_t issue, uint32_t index,
                 double value);
/* The number as the variant holds it now. */
double variant_get(const variant *v, int target, size_t party, uint32_t issue, uint32_t index);
/* Back to every number of the base (refreshed). */
void variant_reset(variant *v);
/* Rebuild the utility tables of the parties whose numbers changed and the
 * feasible options when a hard condition became real or a bluff. */
void variant_refresh(variant *v);

#endif
