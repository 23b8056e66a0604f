/* names.c: a sorted index over names (positions ordered by name, ties by position), for
 * duplicate checks and lookups that would otherwise compare every pair. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

typedef struct item {
    const char *name;
    size_t at;
} item;

static int by_name(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

int name_index_build(name_index *x, const mem *m, const char *const *names, size_t n)
{
    x->names = names;
    x->n = n;
    x->order = NULL;
    int overflow = 0;
    size_t bytes = mem_product(n ? n : 1, sizeof(item), &overflow);
    item *items = overflow ? NULL : mem_alloc(m, bytes);
    size_t *order = items ? mem_alloc(m, (n ? n : 1) * sizeof *order) : NULL;
    if (!items || !order) {
        mem_free(m, items, bytes);
        return TRUCE_ENOMEM;
    }
    for (size_t k = 0; k < n; k++)
        items[k] = (item){names[k], k};
    qsort(items, n, sizeof *items, by_name);
    for (size_t k = 0; k < n; k++)
        order[k] = items[k].at;
    mem_free(m, items, bytes);
    x->order = order;
    return 0;
}

void name_index_free(name_index *x, const mem *m)
{
    if (x->order)
        mem_free(m, x->order, (x->n ? x->n : 1) * sizeof *x->order);
    x->order = NULL;
}

long name_index_find(const name_index *x, const char *name)
{
    size_t lo = 0, hi = x->n; /* the first position in order whose name is >= name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->names[x->order[mid]], name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n && strcmp(x->names[x->order[lo]], name) == 0 ? (long)x->order[lo] : -1;
}

int name_index_repeat(const name_index *x, size_t *earlier, size_t *repeat)
{
    int found = 0;
    for (size_t k = 1; k < x->n; k++) {
        size_t a = x->order[k - 1], b = x->order[k];
        if (strcmp(x->names[a], x->names[b]) != 0)
            continue;
        /* positions ascend within a run of equal names: only the run's second one is the
         * first repeat of that name */
        if (k >= 2 && strcmp(x->names[x->order[k - 2]], x->names[a]) == 0)
            continue;
        if (!found || b < *repeat) {
            *earlier = a;
            *repeat = b;
            found = 1;
        }
    }
    return found;
}

unsigned long name_unprintable(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    for (size_t k = 0; k < len;) {
        unsigned long cp = t[k];
        size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (n > 1) {
            cp &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
            for (size_t j = 1; j < n && k + j < len; j++)
                cp = cp << 6 | (t[k + j] & 0x3F);
        }
        k += n;
        int ok = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0x7E) ||
                 cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                 (cp >= 0x10000 && cp <= 0x10FFFF);
        if (!ok)
            return cp ? cp : 0x110000;
    }
    return 0;
}
