/* p4c_drive.c - compiles one program with the library API and prints what
 * came out: the BMv2 JSON (default), the P4Info text (-t), or nothing (-q),
 * diagnostics to stderr.  A development and test helper: the error tests
 * run it and compare its stderr. */
#include <stdio.h>
#include <string.h>

#include "p4c.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "-j";
	const char *path = argv[argc - 1];
	struct p4c_output out;

	if (argc < 2) {
		fprintf(stderr, "usage: p4c_drive [-j|-t|-q] PROG.p4\n");
		return 2;
	}
	if (p4c_compile_file(path, NULL, &out, stderr))
		return 1;
	if (!strcmp(mode, "-j"))
		fputs(out.bmv2_json, stdout);
	else if (!strcmp(mode, "-t"))
		fputs(out.p4info_txt, stdout);
	p4c_output_free(&out);
	return 0;
}
