/* internal.h - pieces shared by the p4info module's files, not part of its API:
 * a growable byte buffer (text output, wire encoding). */
#ifndef P4I_INTERNAL_H
#define P4I_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* A growable buffer.  On allocation failure it sets oom and drops further
 * appends, so callers check once at the end instead of after every append. */
struct p4i_buf {
	uint8_t *data;
	size_t len, cap;
	int oom;
};

void p4i_buf_put(struct p4i_buf *b, const void *p, size_t n);
void p4i_buf_putc(struct p4i_buf *b, int c);
void p4i_buf_puts(struct p4i_buf *b, const char *s);
void p4i_buf_printf(struct p4i_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends a NUL (not counted in len) so data can be used as a C string. */
void p4i_buf_terminate(struct p4i_buf *b);
void p4i_buf_free(struct p4i_buf *b);

#endif
