/* arena.c - see arena.h.  Blocks of at least 64 KiB, bump allocation. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct p4c_arena_block {
	struct p4c_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

enum { BLOCK_MIN = 64 * 1024 };

void p4c_arena_init(struct p4c_arena *a)
{
	a->head = NULL;
	a->failed = false;
}

void p4c_arena_destroy(struct p4c_arena *a)
{
	if (!a)
		return;
	for (struct p4c_arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

void *p4c_arena_alloc(struct p4c_arena *a, size_t size)
{
	size = (size + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1);
	struct p4c_arena_block *b = a->head;
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

char *p4c_arena_strndup(struct p4c_arena *a, const char *s, size_t n)
{
	char *p = p4c_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *p4c_arena_strdup(struct p4c_arena *a, const char *s)
{
	return p4c_arena_strndup(a, s, strlen(s));
}

char *p4c_arena_printf(struct p4c_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		a->failed = true;
		return NULL;
	}
	char *p = p4c_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void p4c_arena_grow(struct p4c_arena *a, void **v, int *cap, size_t elem)
{
	int ncap = *cap ? *cap * 2 : 8;
	void *nv = p4c_arena_alloc(a, (size_t)ncap * elem);
	if (!nv)
		return;
	if (*v)
		memcpy(nv, *v, (size_t)*cap * elem);
	*v = nv;
	*cap = ncap;
}
