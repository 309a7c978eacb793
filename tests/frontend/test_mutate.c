/* test_mutate.c - robustness of the front end: parses many damaged copies of
 * valid programs (bytes deleted, duplicated, replaced by punctuation, cut
 * short) and requires only that every parse ends cleanly, with a program or
 * with at least one error, never a crash, a hang or a leak (the test runs
 * under ASan/UBSan).  Deterministic: a fixed-seed generator.
 * Usage: test_mutate N FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "frontend.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	static const char junk[] = "{}()<>;:,.=@#\"/*_&|+-!~?[]\\\n 0x8w";
	int n = argc > 1 ? atoi(argv[1]) : 100, bad = 0, ok = 0, errs = 0;

	for (int f = 2; f < argc; f++) {
		char *src;
		size_t len;
		struct p4l_err err;
		if (p4l_read_file(argv[f], &src, &len, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		char *buf = malloc(len * 2 + 64);
		if (!buf)
			return 1;
		for (int i = 0; i < n; i++) {
			size_t m = len;
			memcpy(buf, src, len);
			for (int k = 0, edits = 1 + (int)(next() % 4); k < edits && m; k++) {
				size_t at = next() % m, span = 1 + next() % 8;
				if (span > m - at)
					span = m - at;
				switch (next() % 4) {
				case 0:   /* delete */
					memmove(buf + at, buf + at + span, m - at - span);
					m -= span;
					break;
				case 1:   /* duplicate */
					memmove(buf + at + span, buf + at, m - at);
					m += span;
					break;
				case 2:   /* replace by punctuation */
					for (size_t j = 0; j < span; j++)
						buf[at + j] = junk[next() % (sizeof(junk) - 1)];
					break;
				case 3:   /* cut short */
					m = at;
					break;
				}
			}
			struct p4_diag d;
			p4_diag_init(&d, NULL);
			struct p4_program *prog = p4_parse_source(argv[f], buf, m, NULL, &d);
			if (prog)
				ok++;
			else if (d.n_errors > 0)
				errs++;
			else
				bad++;   /* failed without saying why */
			p4_program_free(prog);
		}
		free(buf);
		free(src);
	}
	printf("mutations: %d parsed, %d rejected with an error, %d failed silently\n",
	       ok, errs, bad);
	return bad ? 1 : 0;
}
