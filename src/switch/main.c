/* main.c - p4lab-switch: one software switch process.
 *
 * Started by hand (like simple_switch) or by the emulator (src/emulator),
 * which depends on this exact command line: -i PORT@IFACE, --device-id,
 * --entries, --netns, --log-console, --log-file, --ready-fd, --check.
 * With --grpc-server-addr (opt-in, so that the switches of a lab never
 * compete for one port) it also serves P4Runtime (src/p4runtime), which
 * then owns the switch: --p4info gives the program's P4Info, --no-p4 waits
 * for a controller's SetForwardingPipelineConfig. */
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
#include "file.h"
#include "p4info.h"
#include "p4rt_server.h"
#include "p4rt_client.h"

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
	      "                              (\"ready grpc=HOST:PORT\\n\" with a server: the port bound)\n"
	      "      --check                 load the program (and entries), print a summary, exit\n"
	      "      --grpc-server-addr HOST:PORT  serve P4Runtime there (e.g. 127.0.0.1:9559)\n"
	      "      --p4info FILE           the program's P4Info (text or binary), for P4Runtime\n"
	      "      --no-p4                 start without a program; wait for a controller's\n"
	      "                              SetForwardingPipelineConfig (needs --grpc-server-addr)\n"
	      "      --cpu-port N            P4Runtime PacketIn/PacketOut go through port N\n"
	      "  -h, --help                  this help\n", f);
}

struct iface {
	unsigned port;
	const char *name;
};

/* Where the ports are: the interfaces, in the namespace (-1: ours). */
struct host {
	struct iface *ifs;
	size_t n_ifs;
	int netns_fd;
	FILE *trace;
	struct sw_switch *own;      /* the switch main made, when no server owns one */
};

/* Adds the interface ports, inside the lab's namespace if any: setns()
 * changes only the calling thread's namespace, and is undone after. */
static int add_ports(struct host *h, struct sw_switch *sw, struct p4l_err *err)
{
	int back = -1, r = 0;
	if (h->netns_fd >= 0) {
		back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (back < 0 || setns(h->netns_fd, CLONE_NEWNET) < 0) {
			r = p4l_errf(err, -errno, "--netns: %s", strerror(errno));
			if (back >= 0)
				close(back);
			return r;
		}
	}
	for (size_t i = 0; i < h->n_ifs && !r; i++)
		r = sw_port_add_iface(sw, h->ifs[i].port, h->ifs[i].name, err);
	if (back >= 0) {
		if (setns(back, CLONE_NEWNET) < 0 && !r)
			r = p4l_errf(err, -errno, "leaving --netns: %s", strerror(errno));
		close(back);
	}
	return r;
}

/* The server's hooks: a committed pipeline's switch gets the ports. */
static int host_attach(void *ctx, struct sw_switch *sw, struct p4l_err *err)
{
	struct host *h = ctx;
	if (h->own) {
		sw_stop(h->own);
		sw_destroy(h->own);
		h->own = NULL;
	}
	sw_set_trace(sw, h->trace);
	int r = add_ports(h, sw, err);
	return r < 0 ? r : sw_start(sw, err);
}

static void host_detach(void *ctx, struct sw_switch *sw)
{
	(void)ctx;
	sw_stop(sw);
}

/* Starts the server; with a P4Info, installs the program as its pipeline
 * (and the entries file in it). */
static int serve(struct p4rts_server **srv, const char *addr, long device_id, long cpu_port,
		 struct host *h, const char *prog, const char *p4info, const char *entries,
		 struct p4l_err *err)
{
	struct p4rts_config cfg = { .addr = addr, .device_id = (uint64_t)device_id,
		.cpu_port = (uint32_t)cpu_port,
		.host = { h, host_attach, host_detach } };
	char *json = NULL;
	size_t jl = 0, bl;
	P4__Config__V1__P4Info *info = NULL;
	uint8_t *bin = NULL;
	int r = p4rts_start(srv, &cfg, err);
	if (r < 0 || !p4info)
		return r;
	if ((r = p4l_read_file(prog, &json, &jl, err)) < 0 ||
	    (r = p4i_p4info_load(p4info, &info, err)) < 0)
		goto out;
	bl = p4__config__v1__p4_info__get_packed_size(info);
	if (!(bin = malloc(bl ? bl : 1))) {
		r = p4l_errf(err, -ENOMEM, "out of memory");
		goto out;
	}
	p4__config__v1__p4_info__pack(info, bin);
	if ((r = p4rts_set_pipeline(*srv, json, jl, bin, bl, err)) < 0) {
		p4l_err_prefix(err, "%s and %s", prog, p4info);
		goto out;
	}
	if (entries) {
		/* as a controller's Write, so that a Read shows them */
		struct p4rt_entries *es = NULL;
		size_t n, failed = 0;
		char at[512];
		if ((r = p4rt_entries_parse(info, entries, &es, err)) == 0) {
			P4__V1__Update *const *u = p4rt_entries_updates(es, &n);
			if ((r = p4rts_write(*srv, u, n, &failed, err)) < 0) {
				p4rt_entries_where(es, failed, at, sizeof(at));
				p4l_err_prefix(err, "%s", at);
			}
		}
		p4rt_entries_free(es);
	}
out:
	free(bin);
	if (info)
		p4__config__v1__p4_info__free_unpacked(info, NULL);
	free(json);
	return r;
}

static int die(const char *fmt, const char *a)
{
	fprintf(stderr, "p4lab-switch: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 1;
}

int main(int argc, char **argv)
{
	enum { O_DEVICE = 256, O_ENTRIES, O_NETNS, O_CONSOLE, O_LOGFILE, O_READY, O_CHECK,
	       O_GRPC, O_P4INFO, O_NO_P4, O_CPU_PORT };
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "device-id", required_argument, NULL, O_DEVICE },
		{ "entries", required_argument, NULL, O_ENTRIES },
		{ "netns", required_argument, NULL, O_NETNS },
		{ "log-console", no_argument, NULL, O_CONSOLE },
		{ "log-file", required_argument, NULL, O_LOGFILE },
		{ "ready-fd", required_argument, NULL, O_READY },
		{ "check", no_argument, NULL, O_CHECK },
		{ "grpc-server-addr", required_argument, NULL, O_GRPC },
		{ "p4info", required_argument, NULL, O_P4INFO },
		{ "no-p4", no_argument, NULL, O_NO_P4 },
		{ "cpu-port", required_argument, NULL, O_CPU_PORT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct iface ifs[512];
	size_t n_ifs = 0;
	const char *entries = NULL, *netns = NULL, *logfile = NULL, *grpc = NULL, *p4info = NULL;
	bool console = false, check = false, no_p4 = false;
	long device_id = 0, ready_fd = -1, cpu_port = 0;
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
		case O_GRPC: grpc = optarg; break;
		case O_P4INFO: p4info = optarg; break;
		case O_NO_P4: no_p4 = true; break;
		case O_CPU_PORT:
			cpu_port = strtol(optarg, &end, 10);
			if (*end || end == optarg || cpu_port < 1 || cpu_port > 510)
				return die("--cpu-port '%s': expected a port from 1 to 510", optarg);
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (no_p4 && optind < argc)
		return die("--no-p4 takes no program ('%s' given): a controller pushes it", argv[optind]);
	if (optind != argc - (no_p4 ? 0 : 1)) {
		usage(stderr);
		return 1;
	}
	if ((no_p4 || p4info || cpu_port) && !grpc)
		return die("%s needs --grpc-server-addr",
			   no_p4 ? "--no-p4" : p4info ? "--p4info" : "--cpu-port");
	if (no_p4 && (entries || check))
		return die("%s needs a program", entries ? "--entries" : "--check");
	const char *prog = no_p4 ? NULL : argv[optind];
	struct host host = { ifs, n_ifs, -1, NULL, NULL };
	struct p4rts_server *srv = NULL;

	/* Signals are taken by sigwait below; block them before any thread starts. */
	sigset_t sigs;
	/* A shell starts background jobs with SIGINT ignored; we want it. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	if (check) {
		if (sw_create_from_file(&sw, prog, &err) < 0 ||
		    (entries && sw_load_entries(sw, entries, &err) < 0))
			goto fail;
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
		host.trace = log;
	} else if (console) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		host.trace = stdout;
	}
	if (netns) {
		char path[4096];
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
		host.netns_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (host.netns_fd < 0) {
			snprintf(err.msg, sizeof(err.msg), "--netns %s: %s", netns, strerror(errno));
			goto fail;
		}
	}
	if (prog && !p4info) {
		/* No pipeline for a server: this switch is main's until a
		 * controller installs one. */
		if (sw_create_from_file(&sw, prog, &err) < 0)
			goto fail;
		host.own = sw;
		if (entries && sw_load_entries(sw, entries, &err) < 0)
			goto fail;
		sw_set_trace(sw, host.trace);
		if (add_ports(&host, sw, &err) < 0 || sw_start(sw, &err) < 0)
			goto fail;
	}
	/* The server's threads start with the signals blocked; from here on
	 * host is theirs (host_attach) until p4rts_stop.  This thread is back in
	 * the root namespace (add_ports enters --netns only while it opens
	 * ports), so the listener binds there, where controllers can reach it. */
	if (grpc && serve(&srv, grpc, device_id, cpu_port, &host, prog, p4info, entries, &err) < 0)
		goto fail;
	if (console || log) {
		FILE *f = log ? log : stdout;
		fprintf(f, "p4lab-switch: %s running (device id %ld), %zu ports%s%s\n",
			prog ? prog : "(no program yet)", device_id, n_ifs, netns ? " in netns " : "",
			netns ? netns : "");
		for (size_t i = 0; i < n_ifs; i++)
			fprintf(f, "  port %u: %s (AF_PACKET, vnet header)\n", ifs[i].port, ifs[i].name);
	}
	if (ready_fd >= 0) {
		/* With a server, the address it really bound (port 0 picks one):
		 * "ready grpc=127.0.0.1:40123\n". */
		char msg[300] = "ready\n";
		if (srv) {
			const char *colon = strrchr(grpc, ':');
			int hl = colon ? (int)(colon - grpc) : (int)strlen(grpc);
			snprintf(msg, sizeof(msg), "ready grpc=%.*s:%d\n", hl, grpc, p4rts_port(srv));
		}
		ssize_t ml = (ssize_t)strlen(msg);
		if (write((int)ready_fd, msg, (size_t)ml) != ml)
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
	p4rts_stop(srv);
	/* main's switch, unless a pipeline from a controller replaced it */
	if (sw && (check || host.own == sw)) {
		sw_stop(sw);
		sw_destroy(sw);
	}
	if (host.netns_fd >= 0)
		close(host.netns_fd);
	if (log)
		fclose(log);
	return status;
}
