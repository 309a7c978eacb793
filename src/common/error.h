/* error.h - the one error convention of p4lab.
 *
 * A function that can fail returns 0 (or a non-negative count) on success and a
 * negative errno on failure.  When it takes a `struct p4l_err *`, it also leaves a
 * one-line message there that says what and where ("lab.yaml:12: link 'l3': no
 * node named 's9'"), ready to print at the edge of the program.  Library code
 * never prints errors itself and never exits.  The compiler's source-level
 * diagnostics (file:line:col, the line, a caret) have their own module,
 * src/compiler/frontend/diag.h, built on the same rule: report, return, let the caller
 * decide. */
#ifndef P4L_ERROR_H
#define P4L_ERROR_H

#include <stdarg.h>

struct p4l_err {
	int code;        /* the negative errno last set, 0 if none */
	char msg[1024];  /* one line, no trailing newline */
};

/* Sets err (which may be NULL) and returns code, so callers can write
 * `return p4l_errf(err, -EINVAL, "%s:%d: bad value", file, line);`.
 * code must be negative. */
int p4l_errf(struct p4l_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int p4l_verrf(struct p4l_err *err, int code, const char *fmt, va_list ap);

/* Puts "prefix: " in front of the message already in err (for adding the file
 * name or the object being loaded as an error travels up). Returns err->code. */
int p4l_err_prefix(struct p4l_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
