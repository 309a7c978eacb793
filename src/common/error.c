/* error.c - see error.h. */
#include "error.h"

#include <stdio.h>
#include <string.h>

int p4l_verrf(struct p4l_err *err, int code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int p4l_errf(struct p4l_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p4l_verrf(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int p4l_err_prefix(struct p4l_err *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return 0;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine: a message too long to hold is cut, never overrun. */
	size_t n = strlen(prefix);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	size_t room = sizeof(err->msg) - n - 3;
	size_t m = strnlen(old, room);
	memcpy(err->msg + n + 2, old, m);
	err->msg[n + 2 + m] = '\0';
	return err->code;
}
