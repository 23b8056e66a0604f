/* arena.c: allocation through the caller's allocator, arenas and growable
 * arrays. Nothing here is global: every call takes the allocator it uses. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ptr, size_t osize, size_t nsize, void *payload)
{
    (void)osize;
    (void)payload;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

void mem_init(mem *m, const truce_allocator *allocator)
{
    if (allocator && allocator->fn) {
        m->fn = allocator->fn;
        m->payload = allocator->payload;
    } else {
        m->fn = default_alloc;
        m->payload = NULL;
    }
}

void *mem_alloc(const mem *m, size_t size)
{
    if (size == 0)
        size = 1;
    return m->fn(NULL, 0, size, m->payload);
}

void *mem_realloc(const mem *m, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size == 0)
        new_size = 1;
    return m->fn(ptr, ptr ? old_size : 0, new_size, m->payload);
}

void mem_free(const mem *m, void *ptr, size_t size)
{
    if (ptr)
        m->fn(ptr, size, 0, m->payload);
}

size_t mem_product(size_t count, size_t size, int *overflow)
{
    if (size && count > SIZE_MAX / size) {
        *overflow = 1;
        return 0;
    }
    return count * size;
}

struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* whole allocation, header included */
};

#define ARENA_ALIGN 16
#define ARENA_HEADER ((sizeof(struct arena_chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define ARENA_CHUNK 65536

void arena_init(arena *a, const mem *m)
{
    a->m = *m;
    a->head = NULL;
    a->used = 0;
    a->cap = 0;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size)
        return NULL;
    if (!a->head || a->cap - a->used < need) {
        size_t body = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        if (body > SIZE_MAX - ARENA_HEADER)
            return NULL;
        struct arena_chunk *c = mem_alloc(&a->m, ARENA_HEADER + body);
        if (!c)
            return NULL;
        c->size = ARENA_HEADER + body;
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = body;
    }
    char *p = (char *)a->head + ARENA_HEADER + a->used;
    a->used += need;
    memset(p, 0, size);
    return p;
}

void *arena_array(arena *a, size_t count, size_t size)
{
    int overflow = 0;
    size_t bytes = mem_product(count, size, &overflow);
    if (overflow)
        return NULL;
    return arena_alloc(a, bytes);
}

char *arena_strdup(arena *a, const char *s)
{
    size_t n = strlen(s);
    char *d = arena_alloc(a, n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

void arena_release(arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        mem_free(&a->m, c, c->size);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
    a->cap = 0;
}

void arena_reset(arena *a)
{
    struct arena_chunk *keep = NULL;
    for (struct arena_chunk *c = a->head; c; c = c->next)
        if (!keep || c->size > keep->size)
            keep = c;
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        if (c != keep)
            mem_free(&a->m, c, c->size);
        c = next;
    }
    a->head = keep;
    a->used = 0;
    a->cap = keep ? keep->size - ARENA_HEADER : 0;
    if (keep)
        keep->next = NULL;
}

void vec_init(vec *v, size_t elem)
{
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
    v->elem = elem;
}

int vec_reserve(vec *v, const mem *m, size_t count)
{
    if (count <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 16;
    while (cap < count) {
        if (cap > SIZE_MAX / 2)
            return TRUCE_ENOMEM;
        cap *= 2;
    }
    int overflow = 0;
    size_t bytes = mem_product(cap, v->elem, &overflow);
    if (overflow)
        return TRUCE_ENOMEM;
    void *d = mem_realloc(m, v->data, v->cap * v->elem, bytes);
    if (!d)
        return TRUCE_ENOMEM;
    v->data = d;
    v->cap = cap;
    return 0;
}

void *vec_push(vec *v, const mem *m, const void *item)
{
    if (vec_reserve(v, m, v->len + 1))
        return NULL;
    char *slot = (char *)v->data + v->len * v->elem;
    memcpy(slot, item, v->elem);
    v->len++;
    return slot;
}

void vec_free(vec *v, const mem *m)
{
    mem_free(m, v->data, v->cap * v->elem);
    v->data = NULL;
    v->len = v->cap = 0;
}
