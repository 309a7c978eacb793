/* p4parse.c - test driver of the front end: parses each file named on the
 * command line and prints its diagnostics (stderr) or, with -d, its tree
 * (stdout).  Used by tests/frontend's scripts; exits 1 when a file has an
 * error.  Options: -d dump the tree (without bundled declarations),
 * -D dump everything, -I DIR, -DNAME[=V] style defines via -e NAME[=V],
 * -t N parse each file N times and print the mean time per parse. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontend.h"

int main(int argc, char **argv)
{
	const char *incs[32], *defs[32];
	struct p4c_options opt = { incs, 0, defs, 0 };
	int dump = 0, times = 0, c, rc = 0;

	while ((c = getopt(argc, argv, "dDI:e:t:")) != -1) {
		switch (c) {
		case 'd': dump = 1; break;
		case 'D': dump = 2; break;
		case 'I': if (opt.n_include_dirs < 32) incs[opt.n_include_dirs++] = optarg; break;
		case 'e': if (opt.n_defines < 32) defs[opt.n_defines++] = optarg; break;
		case 't': times = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: p4parse [-d|-D] [-I DIR] [-e NAME[=V]] [-t N] FILE...\n");
			return 2;
		}
	}
	for (int i = optind; i < argc; i++) {
		struct p4_diag diag;
		p4_diag_init(&diag, stderr);
		if (times > 0) {
			struct timespec a, b;
			clock_gettime(CLOCK_MONOTONIC, &a);
			for (int k = 0; k < times; k++)
				p4_program_free(p4_parse_file(argv[i], &opt, &diag));
			clock_gettime(CLOCK_MONOTONIC, &b);
			double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / times;
			printf("%s: %.1f us per parse\n", argv[i], us);
		}
		struct p4_program *prog = p4_parse_file(argv[i], &opt, &diag);
		if (!prog) {
			rc = 1;
			continue;
		}
		if (dump)
			p4_ast_dump(stdout, prog, dump == 1);
		p4_program_free(prog);
	}
	return rc;
}
