/* buf.c - the growable buffer behind the text printer and the wire encoder
 * of the text parser (see internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int reserve(struct p4i_buf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->cap - b->len >= n)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	uint8_t *d = realloc(b->data, cap);
	if (!d) {
		b->oom = 1;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

void p4i_buf_put(struct p4i_buf *b, const void *p, size_t n)
{
	if (n == 0 || reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void p4i_buf_putc(struct p4i_buf *b, int c)
{
	uint8_t ch = (uint8_t)c;
	p4i_buf_put(b, &ch, 1);
}

void p4i_buf_puts(struct p4i_buf *b, const char *s)
{
	p4i_buf_put(b, s, strlen(s));
}

void p4i_buf_printf(struct p4i_buf *b, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		p4i_buf_put(b, small, (size_t)n);
		return;
	}
	if (reserve(b, (size_t)n + 1) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void p4i_buf_terminate(struct p4i_buf *b)
{
	if (reserve(b, 1) == 0)
		b->data[b->len] = 0;
}

void p4i_buf_free(struct p4i_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}
