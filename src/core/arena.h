/* arena.h: the allocator a handle was created with, and arenas that hand out
 * zeroed blocks freed all at once (scenarios and results live in one each). */
#ifndef TRUCE_CORE_ARENA_H
#define TRUCE_CORE_ARENA_H

#include <stddef.h>

#include "truce.h"

typedef struct mem {
    truce_alloc_fn fn;
    void *payload;
} mem;

/* Resolve a caller's allocator (NULL: the C library's). */
void mem_init(mem *m, const truce_allocator *allocator);
void *mem_alloc(const mem *m, size_t size);
/* Grow or shrink a block of old_size bytes; NULL on failure (block kept). */
void *mem_realloc(const mem *m, void *ptr, size_t old_size, size_t new_size);
void mem_free(const mem *m, void *ptr, size_t size);
/* count * size, or 0 with *overflow set when it does not fit. */
size_t mem_product(size_t count, size_t size, int *overflow);

struct arena_chunk;

typedef struct arena {
    mem m;
    struct arena_chunk *head;
    size_t used; /* bytes used in head */
    size_t cap;  /* bytes available in head */
} arena;

void arena_init(arena *a, const mem *m);
/* A zeroed block of `size` bytes, 16-byte aligned; NULL on failure. */
void *arena_alloc(arena *a, size_t size);
/* A zeroed array of count elements; NULL on failure or overflow. */
void *arena_array(arena *a, size_t count, size_t size);
char *arena_strdup(arena *a, const char *s);
/* Free every block at once; the arena can be used again afterwards. */
void arena_release(arena *a);
/* Forget every block but keep the largest chunk for the next allocations
 * (for arenas reused in a loop). */
void arena_reset(arena *a);

/* A growable array of fixed-size elements backed by the mem allocator. */
typedef struct vec {
    void *data;
    size_t len;  /* elements in use */
    size_t cap;  /* elements allocated */
    size_t elem; /* element size in bytes */
} vec;

void vec_init(vec *v, size_t elem);
/* Make room for at least `count` elements in total. 0 or TRUCE_ENOMEM. */
int vec_reserve(vec *v, const mem *m, size_t count);
/* Append one element (copied from item); returns a pointer to it or NULL. */
void *vec_push(vec *v, const mem *m, const void *item);
void vec_free(vec *v, const mem *m);

#endif
