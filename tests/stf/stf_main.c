/* stf_main.c - `p4lab-stf-test`: stf_cmd as its own program, so the STF tests
 * run before (and without) the `p4lab` command that links every module. */
#include "commands.h"

int main(int argc, char **argv)
{
	return stf_cmd(argc, argv);  /* argv[0] stands for "stf" */
}
