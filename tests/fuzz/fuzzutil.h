/* fuzzutil.h: what every libFuzzer target under tests/fuzz shares: the CHECK that turns a broken
 * invariant into a finding, a scratch folder per process, and checks on any loaded scenario. */
#ifndef TRUCE_FUZZUTIL_H
#define TRUCE_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "truce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A violated invariant is a finding: stop loudly so that libFuzzer (or the
 * replay driver) reports the input. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(#cond, __FILE__, __LINE__);                                                  \
    } while (0)

void fuzz_fail(const char *what, const char *file, int line);

/* This process's scratch folder (created on first use, removed with
 * everything in it at exit); `name` joined to it in buf. */
const char *fuzz_path(const char *name, char *buf, size_t size);

/* Write bytes to a file; a failure is a finding (the disk is ours). */
void fuzz_write(const char *path, const void *data, size_t size);

/* 1 when TRUCE_FUZZ_VERBOSE is set: targets then say what each input reached. */
int fuzz_verbose(void);

/* Load options that keep each input fast: 5 points per real issue, at most
 * 1000 options per issue, small truce_limits. */
truce_load_options fuzz_load_options(void);

/* A refusal is fine but must say something, on one line, with *out left NULL. */
void fuzz_check_refusal(int rc, const truce_scenario *s, const truce_error *err);

/* Outcome number x (0..FUZZ_PICKED_OUTCOMES-1) of fixed patterns: all first
 * options, all last, alternating, and seeded walks. */
#define FUZZ_PICKED_OUTCOMES 8
void fuzz_pick_outcome(const truce_scenario *s, int x, uint32_t *outcome);

/* Invariants of any loaded scenario: issues have options, utilities of
 * valid outcomes are numbers in [lowest, 1], of invalid ones NaN,
 * reservation values and discounts in range, names found back. */
void fuzz_check_scenario(const truce_scenario *s, double lowest);

/* Save as GENIUS XML into the scratch folder and load it back; the same
 * utilities must come back bit for bit. Skipped when the scenario has more
 * than 8 parties; a writer's refusal (EINVAL, ELIMIT) is accepted. */
void fuzz_check_genius_round_trip(const truce_scenario *s);

#endif
