/* arena.h - the per-compilation bump allocator of p4lab.
 *
 * Used by the compiler's front end (AST, names, source buffers) and its middle
 * and back end (lowered program, JSON names, growing arrays).  Memory comes in
 * blocks of at least 64 KiB and is freed all at once; no object is freed on
 * its own, except that everything allocated after a mark goes away when the
 * mark is released (the parser's failed tentative parses).  An allocation that
 * fails returns NULL and marks the arena, so a pass may check once at its end
 * (p4l_arena_failed) instead of after every call. */
#ifndef P4L_ARENA_H
#define P4L_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct p4l_arena_block;

struct p4l_arena {
	struct p4l_arena_block *head;   /* newest block first */
	bool failed;
};

void p4l_arena_init(struct p4l_arena *a);
void p4l_arena_destroy(struct p4l_arena *a);          /* accepts NULL */
/* A heap-allocated arena, for owners that hand out a pointer (the AST). */
struct p4l_arena *p4l_arena_new(void);
void p4l_arena_free(struct p4l_arena *a);             /* accepts NULL */

void *p4l_arena_alloc(struct p4l_arena *a, size_t size); /* zeroed */
char *p4l_arena_strdup(struct p4l_arena *a, const char *s);
char *p4l_arena_strndup(struct p4l_arena *a, const char *s, size_t n);
char *p4l_arena_printf(struct p4l_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool p4l_arena_failed(const struct p4l_arena *a) { return a->failed; }

struct p4l_arena_mark { struct p4l_arena_block *block; size_t used; };
struct p4l_arena_mark p4l_arena_mark(struct p4l_arena *a);
void p4l_arena_release(struct p4l_arena *a, struct p4l_arena_mark m);

/* Grows an arena array (*v, with *cap slots of elem bytes) to hold one more. */
void p4l_arena_grow(struct p4l_arena *a, void **v, int *cap, size_t elem);

/* A growing array in an arena: P4L_VEC(int) xs; P4L_PUSH(a, &xs, 3); */
#define P4L_VEC(T) struct { T *v; int n, cap; }
#define P4L_PUSH(a, vec, x) do { \
		if ((vec)->n == (vec)->cap) \
			p4l_arena_grow((a), (void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v)); \
		if ((vec)->n < (vec)->cap) \
			(vec)->v[(vec)->n++] = (x); \
	} while (0)

#endif
