/* stf_cmd.c - `p4lab stf PROG.p4|PROG.json TEST.stf [-I DIR] [-v]`: compiles
 * the program (or loads BMv2 JSON), runs the STF test on in-memory ports and
 * exits 0 only when every expectation holds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "stf.h"
#include "p4c.h"

static int usage(FILE *f, int status)
{
	fputs("usage: p4lab stf PROGRAM.p4|PROGRAM.json TEST.stf [-I DIR]... [-v]\n"
	      "  -I DIR   include directory for the compiler (repeatable)\n"
	      "  -v       print the switch's per-packet trace\n", f);
	return status;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

int stf_cmd(int argc, char **argv)
{
	const char *prog = NULL, *test = NULL;
	const char *incs[64];
	size_t n_incs = 0;
	bool verbose = false;
	struct p4l_err err = { 0 };
	struct sw_switch *sw = NULL;
	char *src = NULL;
	size_t len;
	int status = 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout, 0);
		if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strncmp(argv[i], "-I", 2)) {
			const char *d = argv[i][2] ? argv[i] + 2 : i + 1 < argc ? argv[++i] : NULL;
			if (!d || n_incs == 64)
				return usage(stderr, 2);
			incs[n_incs++] = d;
		} else if (!prog) {
			prog = argv[i];
		} else if (!test) {
			test = argv[i];
		} else {
			return usage(stderr, 2);
		}
	}
	if (!prog || !test)
		return usage(stderr, 2);

	if (ends_with(prog, ".json")) {
		if (sw_create_from_file(&sw, prog, &err) < 0)
			goto fail;
	} else {
		struct p4c_options opt = { .include_dirs = incs, .n_include_dirs = n_incs };
		struct p4c_output out = { 0 };
		if (p4c_compile_file(prog, &opt, &out, stderr) < 0) {
			fprintf(stderr, "p4lab stf: %s: compilation failed\n", prog);
			return 2;
		}
		int r = sw_create(&sw, out.bmv2_json, out.bmv2_json_len, prog, &err);
		p4c_output_free(&out);
		if (r < 0)
			goto fail;
	}
	if (verbose)
		sw_set_trace(sw, stdout);
	if (p4l_read_file(test, &src, &len, &err) < 0)
		goto fail;
	int r = stf_run(sw, test, src, len, stdout, &err);
	if (r < 0)
		goto fail;
	status = r ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "p4lab stf: %s\n", err.msg);
	status = 2;
out:
	free(src);
	sw_destroy(sw);
	return status;
}
