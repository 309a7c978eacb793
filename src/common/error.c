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
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return err->code;
}
