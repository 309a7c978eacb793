/* clean_cmd.c - `p4lab clean [LAB]`: remove what killed labs left (switch
 * processes, namespaces, state folders).  Called by src/cli/p4lab.c. */
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "labrt.h"

int lab_cmd_clean(int argc, char **argv)
{
	struct p4l_err err = { 0 };

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		fprintf(help ? stdout : stderr,
			"usage: p4lab clean [LAB]\n\n"
			"Stops the processes and removes the namespaces and state of lab LAB\n"
			"(of every lab without LAB), running or left behind by a killed one.\n");
		return help ? 0 : 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "p4lab clean: needs root (namespaces)\n");
		return 1;
	}
	int n = labrt_clean(NULL, argc == 2 ? argv[1] : NULL, stdout, &err);
	if (n < 0) {
		fprintf(stderr, "p4lab clean: %s\n", err.msg);
		return 1;
	}
	if (n == 0)
		printf("nothing to clean\n");
	return 0;
}
