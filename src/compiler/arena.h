/* arena.h - per-compilation memory of the compiler.
 *
 * Everything the middle and back end build for one compilation (the lowered
 * program, names, growing arrays) comes from one arena and goes away with it;
 * no object is freed on its own.  An allocation that fails returns NULL and
 * marks the arena, so callers can check once (p4c_arena_failed) at the end of
 * a pass instead of after every call. */
#ifndef P4C_ARENA_H
#define P4C_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct p4c_arena_block;

struct p4c_arena {
	struct p4c_arena_block *head;
	bool failed;
};

void p4c_arena_init(struct p4c_arena *a);
void p4c_arena_destroy(struct p4c_arena *a);          /* accepts NULL */
void *p4c_arena_alloc(struct p4c_arena *a, size_t size); /* zeroed */
char *p4c_arena_strdup(struct p4c_arena *a, const char *s);
char *p4c_arena_strndup(struct p4c_arena *a, const char *s, size_t n);
char *p4c_arena_printf(struct p4c_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool p4c_arena_failed(const struct p4c_arena *a) { return a->failed; }

/* Grows an arena array (*v, with *cap slots of elem bytes) to hold one more. */
void p4c_arena_grow(struct p4c_arena *a, void **v, int *cap, size_t elem);

/* A growing array in an arena: P4C_VEC(int) xs; P4C_PUSH(a, &xs, 3); */
#define P4C_VEC(T) struct { T *v; int n, cap; }
#define P4C_PUSH(a, vec, x) do { \
		if ((vec)->n == (vec)->cap) \
			p4c_arena_grow((a), (void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v)); \
		if ((vec)->n < (vec)->cap) \
			(vec)->v[(vec)->n++] = (x); \
	} while (0)

#endif
