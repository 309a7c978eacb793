/* arena.c - see arena.h.  Bump allocation in blocks of at least 64 KiB; a new
 * block always goes at the head, so a mark can be released exactly. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct p4l_arena_block {
	struct p4l_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

enum { BLOCK_MIN = 64 * 1024 };

void p4l_arena_init(struct p4l_arena *a)
{
	a->head = NULL;
	a->failed = false;
}

void p4l_arena_destroy(struct p4l_arena *a)
{
	if (!a)
		return;
	for (struct p4l_arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

struct p4l_arena *p4l_arena_new(void)
{
	return calloc(1, sizeof(struct p4l_arena));
}

void p4l_arena_free(struct p4l_arena *a)
{
	p4l_arena_destroy(a);
	free(a);
}

void *p4l_arena_alloc(struct p4l_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	if (size > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	size = (size + align - 1) & ~(align - 1);
	struct p4l_arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t bsize = size > BLOCK_MIN ? size : BLOCK_MIN;
		b = malloc(sizeof(*b) + bsize);
		if (!b) {
			a->failed = true;
			return NULL;
		}
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *p4l_arena_strndup(struct p4l_arena *a, const char *s, size_t n)
{
	char *p = p4l_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *p4l_arena_strdup(struct p4l_arena *a, const char *s)
{
	return p4l_arena_strndup(a, s, strlen(s));
}

char *p4l_arena_printf(struct p4l_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		a->failed = true;
		return NULL;
	}
	char *p = p4l_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct p4l_arena_mark p4l_arena_mark(struct p4l_arena *a)
{
	return (struct p4l_arena_mark){ a->head, a->head ? a->head->used : 0 };
}

void p4l_arena_release(struct p4l_arena *a, struct p4l_arena_mark m)
{
	while (a->head && a->head != m.block) {
		struct p4l_arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
	if (a->head)
		a->head->used = m.used;
}

void p4l_arena_grow(struct p4l_arena *a, void **v, int *cap, size_t elem)
{
	int ncap = *cap ? *cap * 2 : 8;
	void *nv = p4l_arena_alloc(a, (size_t)ncap * elem);
	if (!nv)
		return;
	if (*v)
		memcpy(nv, *v, (size_t)*cap * elem);
	*v = nv;
	*cap = ncap;
}
