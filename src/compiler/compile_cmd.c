/* compile_cmd.c - `p4lab compile PROG.p4 [-o DIR] [-I DIR]... [-D NAME[=V]]...`
 * (src/cli/commands.h): compiles one program and writes DIR/PROG.json,
 * DIR/PROG.p4info.txtpb and DIR/PROG.p4info.binpb.  Nothing is written when
 * the program has errors.  Exit status: 0 done, 1 errors, 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "p4c.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: p4lab compile PROG.p4 [-o DIR] [-I DIR]... [-D NAME[=VALUE]]...\n"
		"\n"
		"Compiles a P4_16 program for v1model into DIR/PROG.json (BMv2 JSON),\n"
		"DIR/PROG.p4info.txtpb and DIR/PROG.p4info.binpb (P4Info).\n"
		"\n"
		"  -o DIR    where the outputs go (default: the program's folder)\n"
		"  -I DIR    search DIR for #include files, before the bundled ones\n"
		"  -D NAME[=VALUE]  define a preprocessor macro\n"
		"  -h, --help       this text\n");
}

/* DIR/STEM plus suffix, where STEM is the program's file name without ".p4". */
static char *out_path(const char *dir, const char *prog, const char *suffix)
{
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	size_t stem = strlen(base);
	if (stem > 3 && !strcmp(base + stem - 3, ".p4"))
		stem -= 3;
	char *p = NULL;
	if (asprintf(&p, "%s/%.*s%s", dir, (int)stem, base, suffix) < 0)
		return NULL;
	return p;
}

int p4c_cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char **incs = calloc((size_t)argc + 1, sizeof(*incs));
	const char **defs = calloc((size_t)argc + 1, sizeof(*defs));
	const char *outdir = NULL;
	size_t ni = 0, nd = 0;
	int c, status = 2;
	char *dir = NULL;
	struct p4c_output out = { 0 };

	if (!incs || !defs) {
		fprintf(stderr, "p4lab compile: out of memory\n");
		status = 1;
		goto done;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:I:D:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			status = 0;
			goto done;
		case 'o': outdir = optarg; break;
		case 'I': incs[ni++] = optarg; break;
		case 'D': defs[nd++] = optarg; break;
		default:
			if (optopt)
				fprintf(stderr, "p4lab compile: option '-%c' %s\n", optopt,
					strchr("oID", optopt) ? "needs an argument" : "is unknown");
			else
				fprintf(stderr, "p4lab compile: unknown option '%s'\n",
					argv[optind - 1]);
			usage(stderr);
			goto done;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "p4lab compile: %s\n", optind >= argc ? "no program given" :
			"only one program can be compiled at a time");
		usage(stderr);
		goto done;
	}
	const char *prog = argv[optind];
	if (!outdir) {
		const char *slash = strrchr(prog, '/');
		dir = slash ? strndup(prog, (size_t)(slash - prog) + (slash == prog)) : strdup(".");
		if (!dir) {
			status = 1;
			goto done;
		}
		outdir = dir;
	}
	struct p4c_options opt = { .include_dirs = incs, .n_include_dirs = ni,
				   .defines = defs, .n_defines = nd };
	status = 1;
	if (p4c_compile_file(prog, &opt, &out, stderr))
		goto done;
	struct p4l_err derr = { 0 };
	if (p4l_mkdir_p(outdir, &derr) < 0) {
		fprintf(stderr, "p4lab compile: %s\n", derr.msg);
		goto done;
	}
	static const char *const suffixes[] = { ".json", ".p4info.txtpb", ".p4info.binpb" };
	const void *data[] = { out.bmv2_json, out.p4info_txt, out.p4info_bin };
	size_t lens[] = { out.bmv2_json_len, out.p4info_txt_len, out.p4info_bin_len };
	for (int i = 0; i < 3; i++) {
		struct p4l_err err = { 0 };
		char *path = out_path(outdir, prog, suffixes[i]);
		int rc = path ? p4l_write_file(path, data[i], lens[i], &err) : -ENOMEM;
		if (rc) {
			fprintf(stderr, "p4lab compile: %s\n", path ? err.msg : "out of memory");
			free(path);
			goto done;
		}
		free(path);
	}
	status = 0;
done:
	p4c_output_free(&out);
	free(dir);
	free(incs);
	free(defs);
	return status;
}
