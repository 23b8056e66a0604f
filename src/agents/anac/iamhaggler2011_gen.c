/* iamhaggler2011_gen.c: writes IAMhaggler2011's constant tables as C, run at build time
 * (CMakeLists.txt) so that the agent does not compute them in every negotiation (about 97k
 * instructions each: 385 erfc and exp calls) and the values are those this machine's libm
 * gives, bit for bit, as when the agent filled them itself:
 * - haggler_erfc_tab: erfc(z) / 2 on [j, j + 1] / ERFC_STEPS as a cubic in the position s in
 *   [0, 1] within it (coefficients of 1, s, s^2, s^3: cubic Hermite interpolation between
 *   neighbouring points, values and derivatives -2/sqrt(pi) e^-z^2), halved (exact), and a
 *   last row holding the last cubic's value at z = 6, by the operations erfc_half does there;
 * - haggler_kern: the kernel (Matern 3/2, length scale 0.25, variance 0.04) between every two
 *   window centres;
 * - haggler_band_lo, haggler_band_cube: the utility bands' lower ends and u^3 at their middles.
 * Doubles are written in hexadecimal (%a): read back to the same bits.
 * Usage: iamhaggler2011_gen OUT.inc */
#include <math.h>
#include <stdio.h>

#include "iamhaggler2011_grid.h"

static double kernel_at_distance(double r0)
{
    double r = r0 * sqrt(3.0) / 0.25;
    return 0.04 * (1 + r) * exp(-r);
}

static void row(FILE *f, const double *v, size_t n, const char *end)
{
    fputs("    {", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%a%s", v[i], i + 1 < n ? ", " : "");
    fprintf(f, "}%s\n", end);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: iamhaggler2011_gen OUT.inc\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "/* written by iamhaggler2011_gen at build time: do not edit */\n");
    static double tab[XMAX + 1][4];
    double h = 1.0 / ERFC_STEPS, f0 = erfc(0), d0 = -1.1283791670955126; /* -2 / sqrt(pi) */
    for (int j = 0; j < XMAX; j++) {
        double z = (double)(j + 1) / ERFC_STEPS;
        double f1 = erfc(z), d1 = -1.1283791670955126 * exp(-z * z);
        double *c = tab[j];
        c[0] = 0.5 * f0;
        c[1] = 0.5 * (h * d0);
        c[2] = 0.5 * (3 * (f1 - f0) - h * (2 * d0 + d1));
        c[3] = 0.5 * (2 * (f0 - f1) + h * (d0 + d1));
        f0 = f1;
        d0 = d1;
    }
    const double *l = tab[XMAX - 1];
    double one = 1;
    tab[XMAX][0] = l[0] + one * (l[1] + one * (l[2] + one * l[3]));
    fprintf(f, "static const double haggler_erfc_tab[XMAX + 1][4] = {\n");
    for (int j = 0; j <= XMAX; j++)
        row(f, tab[j], 4, j < XMAX ? "," : "");
    fprintf(f, "};\n");
    fprintf(f, "static const double haggler_kern[GP_WINDOWS][GP_WINDOWS] = {\n");
    for (size_t i = 0; i < GP_WINDOWS; i++) {
        double k[GP_WINDOWS];
        for (size_t j = 0; j < GP_WINDOWS; j++)
            k[j] = kernel_at_distance(fabs(haggler_centre(i) - haggler_centre(j)));
        row(f, k, GP_WINDOWS, i + 1 < GP_WINDOWS ? "," : "");
    }
    fprintf(f, "};\n");
    double lo[BANDS + 1], cube[BANDS];
    for (int k = 0; k <= BANDS; k++)
        lo[k] = (double)k / BANDS;
    for (int k = 0; k < BANDS; k++) {
        double u = lo[k] + 0.5 / BANDS;
        cube[k] = u * u * u;
    }
    fprintf(f, "static const double haggler_band_lo[BANDS + 1] =\n");
    row(f, lo, BANDS + 1, ";");
    fprintf(f, "static const double haggler_band_cube[BANDS] =\n");
    row(f, cube, BANDS, ";");
    if (ferror(f) | fclose(f)) {
        perror(argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
