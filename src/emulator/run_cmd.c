/* run_cmd.c - `p4lab run LAB.yaml`: start a lab, run its shell (or the given
 * commands), take the lab down whatever happens.  Called by src/cli/p4lab.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "labrt.h"
#include "labsh.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: p4lab run [OPTIONS] LAB.yaml\n"
		"       p4lab run [OPTIONS] [--program PROG.p4] topology.json   (p4lang/tutorials)\n"
		"\n"
		"Starts the lab (compiles its programs, makes its namespaces, links and\n"
		"switches), opens its shell, and takes it all down on exit, end of input,\n"
		"Ctrl-C or SIGTERM.\n"
		"\n"
		"  -c, --command CMD   run CMD in the lab's shell instead of opening it\n"
		"                      (repeatable; in order with --batch)\n"
		"  -b, --batch FILE    run the commands in FILE, one per line\n"
		"  -n, --name NAME     run the lab under another name (two copies side by side)\n"
		"  -p, --program PROG  the P4 program (or BMv2 JSON) of a topology.json's switches\n"
		"      --switch PATH   the p4lab-switch program to run\n"
		"      --timeout SECS  how long switches may take to start (default 60)\n"
		"      --check         read and check the lab file, print it, start nothing\n"
		"  -h, --help          this text\n"
		"\n"
		"With -c or --batch the exit status is 0 only if every command succeeded.\n");
}

struct step {
	bool is_file;
	const char *text;
};

static int run_batch(struct labrt *rt, const char *path, bool *quit)
{
	struct p4l_err err = { 0 };
	char *text, *save = NULL;
	int failed = 0;
	if (p4l_read_file(path, &text, NULL, &err) < 0) {
		fprintf(stderr, "p4lab run: %s\n", err.msg);
		return 1;
	}
	for (char *line = strtok_r(text, "\n", &save); line && !*quit && !labsh_stop_requested();
	     line = strtok_r(NULL, "\n", &save))
		failed += labsh_exec(rt, line, quit);
	free(text);
	return failed;
}

int lab_cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "batch", required_argument, NULL, 'b' },
		{ "name", required_argument, NULL, 'n' },
		{ "switch", required_argument, NULL, 'S' },
		{ "check", no_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "program", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct step *steps = calloc((size_t)argc + 1, sizeof(*steps));
	size_t n_steps = 0;
	const char *name = NULL, *switch_exe = NULL, *program = NULL;
	bool check = false;
	double timeout = 0;
	char *end;
	struct p4l_err err = { 0 };
	struct lab *lab = NULL;
	struct labrt *rt = NULL;
	int status = 1, opt;

	if (!steps) {
		fprintf(stderr, "p4lab run: out of memory\n");
		return 1;
	}
	optind = 0;  /* GNU getopt: start afresh, the command may run twice in a process */
	while ((opt = getopt_long(argc, argv, "c:b:n:p:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'b':
			steps[n_steps++] = (struct step){ opt == 'b', optarg };
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			program = optarg;
			break;
		case 'S':
			switch_exe = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'T':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(timeout > 0) || timeout > 3600) {
				fprintf(stderr, "p4lab run: --timeout: '%s' is not a number of seconds "
					"(up to 3600)\n", optarg);
				status = 2;
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		default:
			usage(stderr);
			status = 2;
			goto out;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		status = 2;
		goto out;
	}
	char *prog_abs = NULL;
	if (program && !(prog_abs = realpath(program, NULL))) {
		fprintf(stderr, "p4lab run: --program %s: %s\n", program, strerror(errno));
		goto out;
	}
	int lrc = lab_load_file(argv[optind], name, prog_abs, &lab, &err);
	free(prog_abs);
	if (lrc < 0) {
		fprintf(stderr, "p4lab run: %s\n", err.msg);
		goto out;
	}
	if (check) {
		printf("lab %s: %zu host%s, %zu switch%s, %zu link%s\n", lab->name, lab->n_hosts,
		       lab->n_hosts == 1 ? "" : "s", lab->n_switches,
		       lab->n_switches == 1 ? "" : "es", lab->n_links, lab->n_links == 1 ? "" : "s");
		lab_print_nodes(lab, stdout);
		lab_print_links(lab, stdout);
		status = 0;
		goto out;
	}
	if (labsh_signals_install(&err) < 0) {
		fprintf(stderr, "p4lab run: %s\n", err.msg);
		goto out;
	}
	struct labrt_options ro = { .switch_exe = switch_exe, .diag = stderr,
				    .stop_fd = labsh_signal_fd(),
				    .ready_timeout_ms = (int)(timeout * 1000) };
	fprintf(stderr, "*** starting lab %s: %zu host%s, %zu switch%s, %zu link%s\n", lab->name,
		lab->n_hosts, lab->n_hosts == 1 ? "" : "s", lab->n_switches,
		lab->n_switches == 1 ? "" : "es", lab->n_links, lab->n_links == 1 ? "" : "s");
	if (labrt_start(lab, &ro, &rt, &err) < 0) {
		fprintf(stderr, "p4lab run: %s\n", err.msg);
		if (labsh_stop_requested())
			status = 128 + labsh_stop_requested();
		goto out;
	}
	fprintf(stderr, "*** lab %s started in %.2f s\n", lab->name, rt->start_seconds);

	int failed = 0;
	bool quit = false;
	if (n_steps) {
		for (size_t i = 0; i < n_steps && !quit && !labsh_stop_requested(); i++)
			failed += steps[i].is_file ? run_batch(rt, steps[i].text, &quit)
						   : labsh_exec(rt, steps[i].text, &quit);
		fflush(stdout);
	} else {
		fprintf(stderr, "*** type 'help' for the commands, 'exit' to stop the lab\n");
		failed = labsh_loop(rt);
	}
	int sig = labsh_stop_requested();
	fprintf(stderr, "*** stopping lab %s\n", lab->name);
	if (labrt_stop(rt, &err) < 0) {
		fprintf(stderr, "p4lab run: stopping the lab: %s\n", err.msg);
		failed++;
	}
	if (sig)
		status = 128 + sig;
	else
		status = (n_steps && failed) ? 1 : 0;
out:
	labrt_free(rt);
	lab_free(lab);
	free(steps);
	return status;
}
