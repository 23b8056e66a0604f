/* expr.h: constraints written as boolean expressions over issues
 * (docs/scenario-format.md#constraint-expressions): the parser, and their
 * evaluation on whole outcomes and, in three-valued logic, on partial ones. */
#ifndef TRUCE_CORE_EXPR_H
#define TRUCE_CORE_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "truce.h"

struct truce_scenario;

enum expr_kind { EXPR_TRUE = 0, EXPR_FALSE, EXPR_AND, EXPR_OR, EXPR_NOT, EXPR_IN, EXPR_COMPARE };

/* A comparison, normalised to "constant + sum of terms  op  0". */
enum expr_op { EXPR_LE = 0, EXPR_LT, EXPR_EQ, EXPR_NE };

/* One issue's part of a linear sum: value[k] when the issue takes option k. */
typedef struct expr_term {
    uint32_t issue;
    const double *value; /* n_options of the issue */
    double lo, hi;       /* smallest and largest of value[] */
} expr_term;

typedef struct expr {
    int kind;                        /* enum expr_kind */
    const struct expr *left, *right; /* and, or: both; not: left */
    uint32_t issue;                  /* in: the issue ... */
    const unsigned char *allowed;    /* ... and its options that satisfy the test */
    int op;                          /* compare: enum expr_op */
    double constant;
    double tolerance; /* compare: sums within this of 0 count as 0 (rounding of decimals) */
    uint32_t n_terms;
    const expr_term *terms; /* one per issue, ascending */
} expr;

/* A parsed expression with what it reads: its text and the issues it
 * touches (ascending, distinct). */
typedef struct expr_rule {
    const char *text;
    const expr *root;
    uint32_t n_issues;
    const uint32_t *issues;
} expr_rule;

/* Results of the three-valued evaluation. */
enum { EXPR_NO = 0, EXPR_YES = 1, EXPR_MAYBE = 2 };

/* Where and why a text is not an expression: byte offset into the text
 * (0-based) and a message. */
typedef struct expr_error {
    size_t offset;
    char message[300];
} expr_error;

/* Parse text against s's issues, options and option attributes (set
 * before: issues, option offsets, attributes), allocating in a. 0, or
 * TRUCE_EPARSE with *where filled, or TRUCE_ENOMEM. */
int expr_parse(expr_rule *out, arena *a, const struct truce_scenario *s, const char *text,
               expr_error *where);

/* 1 when the whole outcome satisfies e. */
int expr_holds(const expr *e, const uint32_t *outcome);

/* EXPR_YES, EXPR_NO or EXPR_MAYBE when only the issues known_from and
 * above are decided in outcome (the others may take any of their options):
 * a sum is bounded by the smallest and largest value of each undecided
 * term, and/or/not follow Kleene's three-valued logic. */
int expr_partial(const expr *e, const uint32_t *outcome, uint32_t known_from);

/* The options of `issue` (n_options of them) that satisfy e, into allowed,
 * for an expression that touches no other issue; scratch holds one entry
 * per issue of the scenario (overwritten). */
void expr_options(const expr *e, uint32_t which, uint32_t n_options, uint32_t *scratch,
                  unsigned char *allowed);

#endif
