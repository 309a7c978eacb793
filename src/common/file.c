/* file.c - see file.h. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int p4l_mkdir_p(const char *path, struct p4l_err *err)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return p4l_errf(err, -ENAMETOOLONG, "%s: bad directory name", path);
	memcpy(buf, path, n + 1);
	/* Create each prefix in turn; EEXIST on the way is expected. */
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return p4l_errf(err, -errno, "%s: cannot create: %s", buf, strerror(errno));
		buf[i] = c;
	}
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return p4l_errf(err, -ENOTDIR, "%s: not a directory", path);
	return 0;
}
