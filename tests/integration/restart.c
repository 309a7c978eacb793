/* restart.c - start, stop and start again one lab in one process, through the
 * C API (a lab built by calls, not a file); a second start of a running lab
 * fails cleanly without harming the first; stop is idempotent.  Root only. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"
#include "labrt.h"
#include "netns.h"

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		failed = 1; \
		goto out; \
	} \
} while (0)

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int run_in(struct labrt *rt, const char *host, char *const argv[])
{
	struct p4l_err err = { 0 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (labrt_spawn_in_host(rt, lab_find_host(rt->lab, host), argv, &fa, &pid, &err) < 0)
		fprintf(stderr, "%s\n", err.msg);
	else
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	return status;
}

int main(void)
{
	struct p4l_err err = { 0 };
	struct lab *lab = NULL;
	struct labrt *rt = NULL, *rt2 = NULL;
	struct lab_host *h;
	int failed = 0;

	if (geteuid() != 0) {
		puts("SKIP: needs root");
		return 77;
	}
	/* Named after this process: other build trees may run this test now. */
	char name[LAB_NAME_MAX + 1], ns1[LAB_NETNS_MAX], ns2[LAB_NETNS_MAX], dir[128], msg[128];
	snprintf(name, sizeof(name), "itrestart%d", (int)getpid());
	snprintf(ns1, sizeof(ns1), "p4lab-%s.h1", name);
	snprintf(ns2, sizeof(ns2), "p4lab-%s.h2", name);
	snprintf(dir, sizeof(dir), LABRT_STATE_ROOT "/%s", name);
	snprintf(msg, sizeof(msg), "lab '%s' is already running", name);
	lab = lab_new(name, &err);
	CHECK(lab, "lab_new: %s", err.msg);
	CHECK(lab_add_host(lab, "h1", &h, &err) == 0, "%s", err.msg);
	CHECK(lab_host_set_ip(h, "10.9.0.1/24", &err) == 0, "%s", err.msg);
	CHECK(lab_add_host(lab, "h2", &h, &err) == 0, "%s", err.msg);
	CHECK(lab_host_set_ip(h, "10.9.0.2/24", &err) == 0, "%s", err.msg);
	CHECK(lab_host_set_gateway(h, "10.9.0.254", &err) == 0, "%s", err.msg);
	CHECK(lab_host_set_gateway_mac(h, "00:00:0a:09:00:fe", &err) == 0, "%s", err.msg);
	CHECK(lab_add_link(lab, "h1", "h2:port7", NULL, &err) == 0, "%s", err.msg);
	CHECK(lab_finalize(lab, &err) == 0, "finalize: %s", err.msg);

	int fds = count_fds();
	for (int round = 0; round < 3; round++) {
		CHECK(labrt_start(lab, NULL, &rt, &err) == 0, "start %d: %s", round, err.msg);
		CHECK(netns_exists(ns1) && netns_exists(ns2),
		      "namespaces missing after start %d", round);
		char *ping[] = { "ping", "-c1", "-W2", "10.9.0.2", NULL };
		CHECK(run_in(rt, "h1", ping) == 0, "h1 cannot ping h2 (round %d)", round);
		char *link[] = { "ip", "link", "show", "port7", NULL };
		CHECK(run_in(rt, "h2", link) == 0, "h2 has no interface port7");
		char *route[] = { "sh", "-c", "ip route | grep -q 'default via 10.9.0.254' && "
				  "ip neigh | grep -q '10.9.0.254 .*00:00:0a:09:00:fe PERMANENT' && "
				  "ip neigh | grep -q '10.9.0.1 .*PERMANENT'", NULL };
		CHECK(run_in(rt, "h2", route) == 0, "h2's route or neighbours are wrong");
		if (round == 0) {
			/* The same lab again while it runs: refused, and the first unharmed. */
			int rc = labrt_start(lab, NULL, &rt2, &err);
			CHECK(rc == -EEXIST && !rt2, "second start: %d %s", rc, err.msg);
			CHECK(strstr(err.msg, msg), "message: %s",
			      err.msg);
			CHECK(netns_exists(ns1), "second start removed h1");
			CHECK(run_in(rt, "h1", ping) == 0, "h1 cannot ping after a refused start");
		}
		CHECK(labrt_stop(rt, &err) == 0, "stop %d: %s", round, err.msg);
		CHECK(labrt_stop(rt, &err) == 0, "second stop %d: %s", round, err.msg);
		CHECK(!netns_exists(ns1) && !netns_exists(ns2),
		      "namespaces left after stop %d", round);
		CHECK(access(dir, F_OK) < 0, "state folder left");
		labrt_free(rt);
		rt = NULL;
	}
	CHECK(count_fds() == fds, "file descriptors leaked: %d before, %d after", fds, count_fds());
	puts("PASS");
out:
	labrt_free(rt);
	labrt_free(rt2);
	if (failed)
		labrt_clean(NULL, lab->name, stderr, NULL);
	lab_free(lab);
	return failed;
}
