/* expminus.h: e^-x for x >= 0 in about a third of libm's exp's instructions, within 2 ulp of
 * it: the Bayesian model's likelihoods (model.c) and IAMhaggler2011's bounds (iamhaggler2011.c). */
#ifndef TRUCE_ANAC_EXPMINUS_H
#define TRUCE_ANAC_EXPMINUS_H

#include <math.h>
#include <stdint.h>

/* 2^(-j/32), j = 0..31 */
static const double two_to_minus[32] = {1.0,
                                        0.9785720620877001,
                                        0.9576032806985737,
                                        0.93708381705515,
                                        0.9170040432046712,
                                        0.8973545375015536,
                                        0.8781260801866497,
                                        0.859309649061239,
                                        0.8408964152537145,
                                        0.8228777390769825,
                                        0.8052451659746271,
                                        0.7879904225539432,
                                        0.7711054127039704,
                                        0.7545822137967114,
                                        0.7384130729697497,
                                        0.7225904034885233,
                                        0.7071067811865476,
                                        0.691954940981916,
                                        0.6771277734684463,
                                        0.6626183215798707,
                                        0.6484197773255048,
                                        0.6345254785958666,
                                        0.620928906036742,
                                        0.6076236799902345,
                                        0.5946035575013605,
                                        0.5818624293887887,
                                        0.5693943173783458,
                                        0.5571933712979462,
                                        0.5452538663326288,
                                        0.5335702003384118,
                                        0.5221368912137069,
                                        0.5109485743270583};

/* e^-x for x >= 0 (in model.c the likelihoods of the update, k + 10 per issue per offer): x = n
 * ln2/32
 * + r with 0 <= r < ln2/32, e^-x = 2^-(n/32) e^-r, 2^-(n/32) from the table and a power of
 * two, e^-r by its Taylor polynomial to r^7 (remainder below 1e-19): within 2 ulp of libm's
 * exp in about a third of its instructions. 0 beyond x = 700. */
static inline double exp_minus(double x)
{
    if (!(x < 700))
        return x >= 700 ? 0 : exp(-x);
    long n = (long)(x * 46.16624130844683); /* 32 / ln 2 */
    /* ln2/32 in two parts, the first with 40 significant bits so that n times it is exact */
    double r = (x - (double)n * 0x1.62e42fefa2p-6) - (double)n * 2.303438301614937e-14;
    double e =
        1 -
        r * (1 -
             r * (0.5 - r * (0.16666666666666666 -
                             r * (0.041666666666666664 -
                                  r * (0.008333333333333333 -
                                       r * (0.001388888888888889 - r * 0.0001984126984126984))))));
    union {
        uint64_t u;
        double d;
    } scale = {(uint64_t)(1023 - (n >> 5)) << 52};
    return scale.d * two_to_minus[n & 31] * e;
}

#endif
