/* p4lab.c - the `p4lab` command: dispatches to one module's subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "compile", p4c_cmd_compile, "compile a P4_16 program to BMv2 JSON and P4Info" },
	{ "stf",     stf_cmd,         "run an STF packet test against a program" },
	{ "run",     lab_cmd_run,     "start a lab from a YAML file and open its shell" },
	{ "clean",   lab_cmd_clean,   "remove what a killed lab left behind" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: p4lab COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n'p4lab COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "p4lab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
