/* test_cmd.c - `p4lab compile` (p4c_cmd_compile): outputs written where -o
 * says or next to the program, none on errors, exit status 0 / 1 / 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static int run(const char *a0, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { (char *)"compile", (char *)a0, (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1;
	while (argv[argc])
		argc++;
	/* stderr of the command goes to the test log */
	return p4c_cmd_compile(argc, argv);
}

static int exists(const char *dir, const char *name)
{
	char p[1024];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 && st.st_size > 0;
}

int main(int argc, char **argv)
{
	const char *src = argc > 1 ? argv[1] : ".";
	char tmpl[] = "/tmp/p4c_cmd_XXXXXX", prog[1024], bad[1024], cmd[2200];
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/examples/quickstart/quickstart.p4", src);
	if (!realpath(cmd, prog))
		return 1;

	check(run("--help", NULL, NULL, NULL) == 0, "--help exits 0");
	check(run(NULL, NULL, NULL, NULL) == 2, "no program: usage error");
	check(run("-x", prog, NULL, NULL) == 2, "unknown option: usage error");
	check(run(prog, prog, NULL, NULL) == 2, "two programs: usage error");
	check(run(prog, "-o", NULL, NULL) == 2, "-o without a value: usage error");

	check(run(prog, "-o", dir, NULL) == 0, "compiles the quick-start program");
	check(exists(dir, "quickstart.json"), "PROG.json written");
	check(exists(dir, "quickstart.p4info.txtpb"), "PROG.p4info.txtpb written");
	check(exists(dir, "quickstart.p4info.binpb"), "PROG.p4info.binpb written");

	/* -o creates the folder (and its parents) when missing. */
	char nested[1100];
	snprintf(nested, sizeof(nested), "%s/new/sub", dir);
	check(run(prog, "-o", nested, NULL) == 0, "-o into a folder that does not exist yet");
	check(exists(nested, "quickstart.json"), "PROG.json written into the new folder");
	snprintf(nested, sizeof(nested), "%s/quickstart.json", dir);
	check(run(prog, "-o", nested, NULL) == 1, "-o naming a file: status 1");

	/* An invalid program: status 1 and nothing written. */
	snprintf(bad, sizeof(bad), "%s/bad.p4", dir);
	FILE *f = fopen(bad, "w");
	if (!f)
		return 1;
	fputs("#include <core.p4>\n#include <v1model.p4>\nconst bit<8> X = 8w300;\n", f);
	fclose(f);
	check(run(bad, "-o", dir, NULL) == 1, "invalid program: status 1");
	check(!exists(dir, "bad.json") && !exists(dir, "bad.p4info.txtpb"), "nothing written");

	/* Without -o the outputs go next to the program; -D reaches the program. */
	f = fopen(bad, "w");
	if (!f)
		return 1;
	fprintf(f, "#include \"%s\"\n", prog);
	fclose(f);
	check(run(bad, "-D", "UNUSED=1", NULL) == 0, "default output folder, -D");
	check(exists(dir, "bad.json"), "PROG.json next to the program");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	printf("%s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
