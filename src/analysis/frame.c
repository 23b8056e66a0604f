/* frame.c: the outcomes an analysis looks at: the bargainers and, per issue,
 * the options considered (the feasible ones, or all of them), with a
 * mixed-radix walk over their product. */
#include <math.h>
#include <string.h>

#include "../core/constraint.h"
#include "frontier.h"

int frame_build(frame *out, arena *a, const truce_scenario *s, int feasible_only)
{
    size_t ni = s->n_issues;
    uint32_t **options = arena_array(a, ni ? ni : 1, sizeof *options);
    uint32_t *counts = arena_array(a, ni ? ni : 1, sizeof *counts);
    if (!options || !counts)
        return TRUCE_ENOMEM;
    for (size_t i = 0; i < ni; i++) {
        uint32_t k_opts = s->issues[i].n_options, n = 0;
        options[i] = arena_array(a, k_opts ? k_opts : 1, sizeof **options);
        if (!options[i])
            return TRUCE_ENOMEM;
        for (uint32_t k = 0; k < k_opts; k++)
            if (!feasible_only || s->feasible[s->option_offset[i] + k])
                options[i][n++] = k;
        counts[i] = n;
    }
    *out = (frame){s, s->n_bargainers, s->bargainers, (const uint32_t *const *)options, counts};
    out->cross = feasible_only && s->cross;
    return 0;
}

int frame_empty(const frame *fr)
{
    for (size_t i = 0; i < fr->s->n_issues; i++)
        if (fr->n_options[i] == 0)
            return 1;
    return 0;
}

double frame_size(const frame *fr)
{
    double n = 1;
    for (size_t i = 0; i < fr->s->n_issues; i++)
        n *= fr->n_options[i];
    return isfinite(n) ? n : INFINITY;
}

int frame_first(const frame *fr, uint32_t *pos, uint32_t *o)
{
    if (frame_empty(fr))
        return 0;
    for (size_t i = 0; i < fr->s->n_issues; i++) {
        pos[i] = 0;
        o[i] = fr->options[i][0];
    }
    return !fr->cross || constraint_seek(fr->s, fr->options, fr->n_options, pos, o);
}

int frame_next(const frame *fr, uint32_t *pos, uint32_t *o)
{
    for (size_t i = 0; i < fr->s->n_issues; i++) {
        if (++pos[i] < fr->n_options[i]) {
            o[i] = fr->options[i][pos[i]];
            return !fr->cross || constraint_seek(fr->s, fr->options, fr->n_options, pos, o);
        }
        pos[i] = 0;
        o[i] = fr->options[i][0];
    }
    return 0;
}
