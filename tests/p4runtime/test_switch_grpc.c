/* test_switch_grpc.c - p4lab-switch serving P4Runtime, driven by the client
 * library from this process.
 *
 * Runs the switch as a child (posix_spawn: this process starts gRPC, so it
 * never forks) with --grpc-server-addr on a free loopback port, no
 * interfaces: once without a program (--no-p4, the controller pushes one),
 * once with PROG.json + --p4info and --cpu-port, once with --entries too
 * (written through its server, so a Read shows them); and checks start-up
 * errors.
 * Usage: test_switch_grpc P4LAB-SWITCH RT.P4 RT-ENTRIES.JSON */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"
#include "p4c.h"
#include "p4rt_client.h"

extern char **environ;

static int failures;
static struct p4l_err err;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__,    \
				__LINE__, #cond, err.msg);                            \
			failures++;                                                   \
		}                                                                     \
	} while (0)

/* Spawns argv with stdout+stderr into *out_fd (a pipe) and, if ready_fd is
 * not NULL, a --ready-fd pipe whose read end goes to *ready_fd. */
static pid_t spawn(char **argv, int *out_fd, int *ready_fd)
{
	int out[2], rdy[2] = { -1, -1 };
	char fdarg[16];
	posix_spawn_file_actions_t fa;
	if (pipe(out) < 0 || (ready_fd && pipe(rdy) < 0))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	if (ready_fd) {
		posix_spawn_file_actions_addclose(&fa, rdy[0]);
		snprintf(fdarg, sizeof(fdarg), "%d", rdy[1]);
		for (int i = 0; argv[i]; i++)
			if (!strcmp(argv[i], "READY"))
				argv[i] = fdarg;
	}
	pid_t pid;
	int r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (ready_fd) {
		close(rdy[1]);
		*ready_fd = rdy[0];
	}
	*out_fd = out[0];
	return r ? -1 : pid;
}

static void read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	while (n + 1 < cap && (k = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = 0;
	close(fd);
}

static int wait_exit(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		exit(1);
	close(fd);
	return ntohs(a.sin_port);
}

static int count(void *ctx, const P4__V1__Entity *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

static int read_routes(struct p4rt_client *c)
{
	const P4__Config__V1__P4Info *info = p4rt_p4info(c);
	P4__V1__Entity e, *ep = &e;
	P4__V1__TableEntry te;
	int n = 0;
	p4__v1__entity__init(&e);
	p4__v1__table_entry__init(&te);
	for (size_t i = 0; info && i < info->n_tables; i++)
		if (!strcmp(info->tables[i]->preamble->name, "I.routes"))
			te.table_id = info->tables[i]->preamble->id;
	e.entity_case = P4__V1__ENTITY__ENTITY_TABLE_ENTRY;
	e.table_entry = &te;
	return p4rt_read(c, &ep, 1, count, &n, &err) < 0 ? -1 : n;
}

/* Starts the switch with args, waits for "ready", runs fn, stops it. */
static void with_switch(char **argv, const char *addr, void (*fn)(const char *addr))
{
	int out, ready;
	char buf[4096];
	pid_t pid = spawn(argv, &out, &ready);
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	ssize_t k = read(ready, buf, sizeof(buf));
	close(ready);
	/* "ready\n", or "ready grpc=ADDR\n" */
	CHECK(k >= 6 && !memcmp(buf, "ready", 5) && buf[k - 1] == '\n');
	if (k >= 6)
		fn(addr);
	kill(pid, SIGTERM);
	read_all(out, buf, sizeof(buf));
	int st = wait_exit(pid);
	if (st != 0)
		fprintf(stderr, "p4lab-switch said: %s\n", buf);
	CHECK(st == 0);
}

static struct p4c_output prog;

static void no_p4(const char *addr)
{
	struct p4rt_client *c = NULL;
	uint64_t cookie = 0;
	CHECK(p4rt_connect(&c, addr, 3, &err) == 0);
	if (!c)
		return;
	CHECK(p4rt_arbitrate(c, 0, 1, NULL, &err) == 1);
	CHECK(p4rt_fetch_pipeline(c, &cookie, &err) == -ENXIO);
	CHECK(p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
				prog.p4info_bin_len, 99, &err) == 0);
	CHECK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=1,dmac=1", &err) == 0);
	CHECK(read_routes(c) == 1);
	/* a second push replaces the switch: no entries */
	CHECK(p4rt_set_pipeline(c, prog.bmv2_json, prog.bmv2_json_len, prog.p4info_bin,
				prog.p4info_bin_len, 100, &err) == 0);
	CHECK(read_routes(c) == 0);
	CHECK(p4rt_fetch_pipeline(c, &cookie, &err) == 0 && cookie == 100);
	p4rt_close(c);
}

static void with_p4(const char *addr)
{
	struct p4rt_client *c = NULL, *wrong = NULL;
	CHECK(p4rt_connect(&c, addr, 0, &err) == 0);
	if (!c)
		return;
	CHECK(p4rt_arbitrate(c, 0, 1, NULL, &err) == 1);
	CHECK(p4rt_fetch_pipeline(c, NULL, &err) == 0);
	CHECK(p4rt_table_add(c, "routes", "dst=10.0.0.0/8", "set_port", "port=1,dmac=1", &err) == 0);
	CHECK(p4rt_table_add(c, "routes", "dst=10.1.0.0/16", "drop", "", &err) == 0);
	CHECK(read_routes(c) == 2);
	/* --cpu-port 64: a PacketOut to port 64 comes back as a PacketIn */
	uint8_t frame[14] = { 0, 0, 0, 0, 0, 0x0b, 0, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	struct p4rt_event ev;
	uint64_t port = 0;
	CHECK(p4rt_packet_out(c, frame, sizeof(frame), "egress_port=64", &err) == 0);
	int r;
	while ((r = p4rt_poll(c, &ev, 5000)) == 1 && ev.type != P4RT_EV_PACKET_IN)
		p4rt_event_clear(&ev);
	CHECK(r == 1 && ev.payload_len == 14 && p4rt_event_metadata(c, &ev, "ingress_port", &port) == 0 &&
	      port == 64);
	if (r == 1)
		p4rt_event_clear(&ev);
	CHECK(p4rt_connect(&wrong, addr, 5, &err) == 0);
	if (wrong)
		CHECK(p4rt_arbitrate(wrong, 0, 2, NULL, &err) == -ENOENT);
	p4rt_close(wrong);
	p4rt_close(c);
}

/* --entries beside --p4info: the entries went through the server. */
static void with_entries(const char *addr)
{
	struct p4rt_client *c = NULL;
	CHECK(p4rt_connect(&c, addr, 0, &err) == 0);
	if (!c)
		return;
	CHECK(p4rt_fetch_pipeline(c, NULL, &err) == 0);
	CHECK(read_routes(c) == 1);
	P4__V1__Entity e, *ep = &e;
	P4__V1__PacketReplicationEngineEntry pe;
	int n = 0;
	p4__v1__entity__init(&e);
	p4__v1__packet_replication_engine_entry__init(&pe);
	e.entity_case = P4__V1__ENTITY__ENTITY_PACKET_REPLICATION_ENGINE_ENTRY;
	e.packet_replication_engine_entry = &pe;
	CHECK(p4rt_read(c, &ep, 1, count, &n, &err) == 2 && n == 2);
	p4rt_close(c);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/p4rt-switch-XXXXXX", json[128], info[128], addr[64], port[64];
	char buf[4096];
	int out;
	if (argc != 4) {
		fprintf(stderr, "usage: test_switch_grpc P4LAB-SWITCH RT.P4 RT-ENTRIES.JSON\n");
		return 2;
	}
	/* --help documents the P4Runtime options */
	char *help[] = { argv[1], "--help", NULL };
	pid_t pid = spawn(help, &out, NULL);
	read_all(out, buf, sizeof(buf));
	wait_exit(pid);
	if (!strstr(buf, "--grpc-server-addr")) {
		fprintf(stderr, "p4lab-switch --help does not list --grpc-server-addr\n");
		return 1;
	}
	if (p4c_compile_file(argv[2], NULL, &prog, stderr) < 0 || !mkdtemp(dir))
		return 1;
	snprintf(json, sizeof(json), "%s/rt.json", dir);
	snprintf(info, sizeof(info), "%s/rt.p4info.binpb", dir);
	if (p4l_write_file(json, prog.bmv2_json, prog.bmv2_json_len, &err) < 0 ||
	    p4l_write_file(info, prog.p4info_bin, prog.p4info_bin_len, &err) < 0)
		return 1;

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", free_port());
	char *a1[] = { argv[1], "--no-p4", "--grpc-server-addr", addr, "--device-id", "3",
		       "--ready-fd", "READY", NULL };
	with_switch(a1, addr, no_p4);

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", free_port());
	char *a2[] = { argv[1], json, "--p4info", info, "--grpc-server-addr", addr,
		       "--cpu-port", "64", "--ready-fd", "READY", NULL };
	with_switch(a2, addr, with_p4);

	/* a switch whose --entries go through the server */
	{
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", free_port());
		char *a6[] = { argv[1], json, "--p4info", info, "--entries", argv[3],
			       "--grpc-server-addr", addr, "--ready-fd", "READY", NULL };
		with_switch(a6, addr, with_entries);
		/* a bad entry is named by its place in the file */
		char bad[160];
		snprintf(bad, sizeof(bad), "%s/bad.json", dir);
		const char *text = "{\"table_entries\": [ { \"table\": \"routes\", \"match\": "
			"{ \"hdr.ipv4.dst\": [\"10.0.0.0\", 8] }, \"action_name\": \"drop\", "
			"\"action_params\": {} }, { \"table\": \"routes\", \"match\": { "
			"\"hdr.ipv4.dst\": [\"10.0.0.0\", 8] }, \"action_name\": \"drop\", "
			"\"action_params\": {} } ] }";
		CHECK(p4l_write_file(bad, text, strlen(text), &err) == 0);
		char *a7[] = { argv[1], json, "--p4info", info, "--entries", bad,
			       "--grpc-server-addr", addr, NULL };
		pid = spawn(a7, &out, NULL);
		read_all(out, buf, sizeof(buf));
		CHECK(wait_exit(pid) == 1 && strstr(buf, "bad.json: table_entries[1]") &&
		      strstr(buf, "exists already"));
		if (!strstr(buf, "table_entries[1]"))
			fprintf(stderr, "p4lab-switch said: %s\n", buf);
		unlink(bad);
	}

	/* start-up errors name what is wrong */
	char *a3[] = { argv[1], json, "--p4info", "/nonexistent.p4info", "--grpc-server-addr",
		       addr, NULL };
	pid = spawn(a3, &out, NULL);
	read_all(out, buf, sizeof(buf));
	CHECK(wait_exit(pid) == 1 && strstr(buf, "/nonexistent.p4info"));
	char *a4[] = { argv[1], "--no-p4", NULL };
	pid = spawn(a4, &out, NULL);
	read_all(out, buf, sizeof(buf));
	CHECK(wait_exit(pid) == 1 && strstr(buf, "--no-p4 needs --grpc-server-addr"));
	char *a6[] = { argv[1], "--no-p4", "--grpc-server-addr", addr, json, NULL };
	pid = spawn(a6, &out, NULL);
	read_all(out, buf, sizeof(buf));
	CHECK(wait_exit(pid) == 1 && strstr(buf, "--no-p4 takes no program"));
	snprintf(port, sizeof(port), "127.0.0.1:%d", free_port());
	int busy = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((uint16_t)atoi(strchr(port, ':') + 1)) };
	CHECK(bind(busy, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(busy, 1) == 0);
	char *a5[] = { argv[1], "--no-p4", "--grpc-server-addr", port, NULL };
	pid = spawn(a5, &out, NULL);
	read_all(out, buf, sizeof(buf));
	CHECK(wait_exit(pid) == 1 && strstr(buf, "cannot listen on"));
	close(busy);

	unlink(json);
	unlink(info);
	rmdir(dir);
	p4c_output_free(&prog);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
