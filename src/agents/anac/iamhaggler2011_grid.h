/* iamhaggler2011_grid.h: IAMhaggler2011's fixed grid (see iamhaggler2011.c), shared by the
 * agent and by iamhaggler2011_gen.c, the program that writes the agent's constant tables at
 * build time (iamhaggler2011_tables.inc: the erfc table, the kernel between window centres,
 * the bands). */
#ifndef TRUCE_IAMHAGGLER2011_GRID_H
#define TRUCE_IAMHAGGLER2011_GRID_H

#include <stddef.h>

#define GP_WINDOWS 36
#define BANDS 50
#define ERFC_STEPS 64         /* table points per unit of z (see upper_x) */
#define XMAX (6 * ERFC_STEPS) /* six deviations, in table steps */

/* the centre of time window w */
static inline double haggler_centre(size_t w)
{
    return (w + 0.5) / GP_WINDOWS;
}

#endif
