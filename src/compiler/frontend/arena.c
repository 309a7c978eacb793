/* arena.c - per-compilation bump allocator (fe.h).  The AST, names and
 * source buffers of one program live in one arena, freed in one call. */
#include "fe.h"

#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct p4_arena {
	struct chunk *head;
};

enum { CHUNK_SIZE = 64 * 1024 };

struct p4_arena *p4_arena_new(void)
{
	return calloc(1, sizeof(struct p4_arena));
}

void *p4_arena_alloc(struct p4_arena *a, size_t size)
{
	struct chunk *c = a->head;
	size_t align = sizeof(max_align_t);

	size = (size + align - 1) & ~(align - 1);
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->size = cap;
		c->used = 0;
		/* always at the head, so a mark can be released exactly */
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

struct p4_arena_mark p4_arena_mark(struct p4_arena *a)
{
	return (struct p4_arena_mark){ a->head, a->head ? a->head->used : 0 };
}

void p4_arena_release(struct p4_arena *a, struct p4_arena_mark m)
{
	while (a->head && a->head != m.chunk) {
		struct chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
	if (a->head)
		a->head->used = m.used;
}

char *p4_arena_strndup(struct p4_arena *a, const char *s, size_t len)
{
	char *p = p4_arena_alloc(a, len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

void p4_arena_free(struct p4_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
