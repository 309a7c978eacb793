/* main.c - p4lab-switch: one software switch process.
 *
 * Started by hand (like simple_switch) or by the emulator (src/emulator),
 * which depends on this exact command line: -i PORT@IFACE, --device-id,
 * --entries, --netns, --log-console, --log-file, --ready-fd, --check. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "switch.h"

static void usage(FILE *f)
{
	fputs("usage: p4lab-switch [OPTIONS] PROGRAM.json\n"
	      "  -i, --interface PORT@IFACE  attach port PORT to interface IFACE (repeatable)\n"
	      "      --device-id N           device id (kept for P4Runtime)\n"
	      "      --entries FILE          load table entries (runtime.json form) at start\n"
	      "      --netns NAME            open the ports inside network namespace NAME\n"
	      "      --log-console           per-packet trace and log on stdout\n"
	      "      --log-file FILE         the same, appended to FILE\n"
	      "      --ready-fd FD           write \"ready\\n\" to FD once running, then close it\n"
	      "      --check                 load the program (and entries), print a summary, exit\n"
	      "  -h, --help                  this help\n", f);
}

struct iface {
	unsigned port;
	const char *name;
};

static int die(const char *fmt, const char *a)
{
	fprintf(stderr, "p4lab-switch: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 1;
}

int main(int argc, char **argv)
{
	enum { O_DEVICE = 256, O_ENTRIES, O_NETNS, O_CONSOLE, O_LOGFILE, O_READY, O_CHECK };
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "device-id", required_argument, NULL, O_DEVICE },
		{ "entries", required_argument, NULL, O_ENTRIES },
		{ "netns", required_argument, NULL, O_NETNS },
		{ "log-console", no_argument, NULL, O_CONSOLE },
		{ "log-file", required_argument, NULL, O_LOGFILE },
		{ "ready-fd", required_argument, NULL, O_READY },
		{ "check", no_argument, NULL, O_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct iface ifs[512];
	size_t n_ifs = 0;
	const char *entries = NULL, *netns = NULL, *logfile = NULL;
	bool console = false, check = false;
	long device_id = 0, ready_fd = -1;
	struct p4l_err err = { 0 };
	struct sw_switch *sw = NULL;
	FILE *log = NULL;
	char *end;
	int c, status = 1;

	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': {
			char *at = strchr(optarg, '@');
			unsigned long port;
			if (!at || at == optarg || !at[1])
				return die("-i '%s': expected PORT@IFACE", optarg);
			errno = 0;
			port = strtoul(optarg, &end, 10);
			if (end != at || errno || port >= 511)
				return die("-i '%s': PORT must be a number from 0 to 510", optarg);
			if (n_ifs == sizeof(ifs) / sizeof(ifs[0]))
				return die("%s: too many interfaces", optarg);
			ifs[n_ifs++] = (struct iface){ (unsigned)port, at + 1 };
			break;
		}
		case O_DEVICE:
			device_id = strtol(optarg, &end, 10);
			if (*end || end == optarg || device_id < 0)
				return die("--device-id '%s': expected a non-negative number", optarg);
			break;
		case O_ENTRIES: entries = optarg; break;
		case O_NETNS: netns = optarg; break;
		case O_CONSOLE: console = true; break;
		case O_LOGFILE: logfile = optarg; break;
		case O_READY:
			ready_fd = strtol(optarg, &end, 10);
			if (*end || end == optarg || ready_fd < 0)
				return die("--ready-fd '%s': expected a file descriptor number", optarg);
			break;
		case O_CHECK: check = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	const char *prog = argv[optind];

	/* Signals are taken by sigwait below; block them before any thread starts. */
	sigset_t sigs;
	/* A shell starts background jobs with SIGINT ignored; we want it. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	if (sw_create_from_file(&sw, prog, &err) < 0)
		goto fail;
	if (entries && sw_load_entries(sw, entries, &err) < 0)
		goto fail;
	if (check) {
		sw_print_summary(sw, stdout);
		status = 0;
		goto out;
	}
	if (logfile) {
		log = fopen(logfile, "a");
		if (!log) {
			snprintf(err.msg, sizeof(err.msg), "%s: %s", logfile, strerror(errno));
			goto fail;
		}
		setvbuf(log, NULL, _IOLBF, 0);
		sw_set_trace(sw, log);
	} else if (console) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		sw_set_trace(sw, stdout);
	}
	if (netns) {
		char path[4096];
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			snprintf(err.msg, sizeof(err.msg), "--netns %s: %s", netns, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		close(fd);
	}
	for (size_t i = 0; i < n_ifs; i++)
		if (sw_port_add_iface(sw, ifs[i].port, ifs[i].name, &err) < 0)
			goto fail;
	if (sw_start(sw, &err) < 0)
		goto fail;
	if (console || log) {
		FILE *f = log ? log : stdout;
		fprintf(f, "p4lab-switch: %s running (device id %ld), %zu ports%s%s\n", prog, device_id,
			n_ifs, netns ? " in netns " : "", netns ? netns : "");
		for (size_t i = 0; i < n_ifs; i++)
			fprintf(f, "  port %u: %s (AF_PACKET, vnet header)\n", ifs[i].port, ifs[i].name);
	}
	if (ready_fd >= 0) {
		if (write((int)ready_fd, "ready\n", 6) != 6)
			fprintf(stderr, "p4lab-switch: --ready-fd %ld: %s\n", ready_fd, strerror(errno));
		close((int)ready_fd);
	}
	int sig;
	while (sigwait(&sigs, &sig) != 0)
		;
	status = 0;
	goto out;
fail:
	fprintf(stderr, "p4lab-switch: %s\n", err.msg);
	status = 1;
out:
	sw_destroy(sw);
	if (log)
		fclose(log);
	return status;
}
