/* lab_main.c - `p4lab-lab run|clean ...`: the emulator's two commands without
 * the rest of p4lab, so the integration tests run before every module links
 * into `p4lab` (and keep running if one of them is broken for a while). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return lab_cmd_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "clean"))
		return lab_cmd_clean(argc - 1, argv + 1);
	fprintf(stderr, "usage: p4lab-lab run|clean ARGS...\n");
	return 2;
}
