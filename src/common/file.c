/* file.c - see file.h. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int p4l_read_file(const char *path, char **out, size_t *len, struct p4l_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return p4l_errf(err, -errno, "%s: %s", path, strerror(errno));
	for (;;) {
		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nbuf = realloc(buf, ncap);
			if (!nbuf) {
				free(buf);
				fclose(f);
				return p4l_errf(err, -ENOMEM, "%s: out of memory", path);
			}
			buf = nbuf;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		free(buf);
		fclose(f);
		return p4l_errf(err, -e, "%s: read error: %s", path, strerror(e));
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

int p4l_write_file(const char *path, const void *data, size_t len, struct p4l_err *err)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return p4l_errf(err, -ENAMETOOLONG, "%s: path too long", path);
	f = fopen(tmp, "wb");
	if (!f)
		return p4l_errf(err, -errno, "%s: %s", path, strerror(errno));
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return p4l_errf(err, -e, "%s: write error: %s", path, strerror(e));
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return p4l_errf(err, -e, "%s: %s", path, strerror(e));
	}
	return 0;
}
