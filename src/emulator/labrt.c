/* labrt.c - starting and stopping a lab; see labrt.h.
 *
 * Start order, each step undone by labrt_stop if a later one fails:
 *   state folder (also the lab's lock) -> programs compiled into it ->
 *   namespaces -> veth pairs (each end made in its namespace, final name,
 *   final MAC) -> host addresses, neighbours, routes; ports up ->
 *   switches spawned in parallel -> wait until every switch says "ready" ->
 *   pipelines and entries pushed over P4Runtime (labrt_p4rt.c). */
#include "labrt.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "netns.h"
#include "nl.h"
#include "p4c.h"

extern char **environ;

#define SWITCH_READY_FD 3
#define LINK_UP_TIMEOUT_S 5

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* "lab.yaml:9: switch 's1'" for messages about a switch. */
static void sw_where(const struct lab *lab, const struct lab_switch *sw, char *buf, size_t size)
{
	if (lab->file && sw->line)
		snprintf(buf, size, "%s:%d: switch '%s'", lab->file, sw->line, sw->name);
	else
		snprintf(buf, size, "switch '%s'", sw->name);
}

int labrt_find_switch(char *out, size_t size, struct p4l_err *err)
{
	const char *env = getenv("P4LAB_SWITCH");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0]) {
		if (access(env, X_OK) < 0)
			return p4l_errf(err, -errno, "P4LAB_SWITCH=%s: %s", env, strerror(errno));
		snprintf(out, size, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, size, "%s/p4lab-switch", self);
			if (access(out, X_OK) == 0)
				return 0;
		}
	}
#ifdef P4LAB_SWITCH_BUILD_PATH
	if (access(P4LAB_SWITCH_BUILD_PATH, X_OK) == 0) {
		snprintf(out, size, "%s", P4LAB_SWITCH_BUILD_PATH);
		return 0;
	}
#endif
	const char *path = getenv("PATH");
	while (path && *path) {
		const char *colon = strchrnul(path, ':');
		snprintf(out, size, "%.*s/p4lab-switch", (int)(colon - path), path);
		if (colon > path && access(out, X_OK) == 0)
			return 0;
		path = *colon ? colon + 1 : colon;
	}
	return p4l_errf(err, -ENOENT, "cannot find p4lab-switch (set P4LAB_SWITCH, or put it "
			"beside p4lab or in PATH)");
}

static int write_output(const char *dir, const char *name, const char *ext, const void *data,
			size_t len, char **path_out, struct p4l_err *err)
{
	char *path;
	if (asprintf(&path, "%s/%s%s", dir, name, ext) < 0)
		return p4l_errf(err, -ENOMEM, "out of memory");
	int rc = p4l_write_file(path, data, len, err);
	if (rc < 0 || !path_out)
		free(path);
	else
		*path_out = path;
	return rc;
}

/* The P4Info of switch i's .json program: its p4info key, else a file beside
 * the program (PROG.p4info.txtpb, .txt, .bin, or p4c's PROG.p4.p4info.txtpb).
 * None: the switch is programmed by --entries, without P4Runtime. */
static int find_p4info(struct labrt *rt, size_t i, const char *at, struct p4l_err *err)
{
	const struct lab_switch *sw = rt->lab->switches[i];
	static const char *const ext[] = { ".p4info.txtpb", ".p4info.binpb", ".p4info.txt", ".p4info.bin",
					   ".p4.p4info.txtpb", ".p4.p4info.txt" };
	const char *json = rt->sw[i].json;
	char *p = NULL;
	if (sw->p4info) {
		if (!(p = lab_path(rt->lab, sw->p4info)))
			return p4l_errf(err, -ENOMEM, "out of memory");
		if (access(p, R_OK) < 0) {
			int rc = p4l_errf(err, -errno, "%s: p4info %s: %s", at, p, strerror(errno));
			free(p);
			return rc;
		}
		rt->sw[i].p4info = p;
		return 0;
	}
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		if (asprintf(&p, "%.*s%s", (int)(strlen(json) - 5), json, ext[k]) < 0)
			return p4l_errf(err, -ENOMEM, "out of memory");
		if (access(p, R_OK) == 0) {
			rt->sw[i].p4info = p;
			return 0;
		}
		free(p);
	}
	return 0;
}

/* Gives switch i the BMv2 JSON it will run: a .json program as it is, a .p4
 * program compiled into the state folder (once, if switches share it). */
static int prepare_program(struct labrt *rt, size_t i, const struct labrt_options *opt,
			   struct p4l_err *err)
{
	struct lab_switch *sw = rt->lab->switches[i];
	char at[1200];
	char *src = lab_path(rt->lab, sw->program);
	int rc = 0;

	sw_where(rt->lab, sw, at, sizeof(at));
	if (!src)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (access(src, R_OK) < 0) {
		rc = p4l_errf(err, -errno, "%s: program %s: %s", at, src, strerror(errno));
		goto out;
	}
	if (sw->entries) {
		char *e = lab_path(rt->lab, sw->entries);
		if (!e || access(e, R_OK) < 0)
			rc = p4l_errf(err, e ? -errno : -ENOMEM, "%s: entries %s: %s", at,
				      e ? e : sw->entries, e ? strerror(errno) : "out of memory");
		free(e);
		if (rc < 0)
			goto out;
	}
	for (size_t j = 0; j < i; j++) {
		if (!strcmp(rt->lab->switches[j]->program, sw->program) &&
		    !sw->p4info && !rt->lab->switches[j]->p4info) {
			if (!(rt->sw[i].json = strdup(rt->sw[j].json)) ||
			    (rt->sw[j].p4info && !(rt->sw[i].p4info = strdup(rt->sw[j].p4info))))
				rc = p4l_errf(err, -ENOMEM, "out of memory");
			goto out;
		}
	}
	if (ends_with(src, ".json")) {
		rt->sw[i].json = src;
		src = NULL;
		rc = find_p4info(rt, i, at, err);
		goto out;
	}
	if (!ends_with(src, ".p4")) {
		rc = p4l_errf(err, -EINVAL, "%s: program %s: expected a P4 source (.p4) or a "
			      "BMv2 JSON file (.json)", at, sw->program);
		goto out;
	}
	{
		struct p4c_options popt = { 0 };
		struct p4c_output po = { 0 };
		if (p4c_compile_file(src, &popt, &po, opt->diag ? opt->diag : stderr) < 0) {
			rc = p4l_errf(err, -EINVAL, "%s: %s does not compile (see the messages "
				      "above)", at, sw->program);
			goto out;
		}
		rc = write_output(rt->state_dir, sw->name, ".json", po.bmv2_json, po.bmv2_json_len,
				  &rt->sw[i].json, err);
		if (rc >= 0)
			rc = write_output(rt->state_dir, sw->name, ".p4info.txt", po.p4info_txt,
					  po.p4info_txt_len, NULL, err);
		if (rc >= 0)
			rc = write_output(rt->state_dir, sw->name, ".p4info.bin", po.p4info_bin,
					  po.p4info_bin_len, &rt->sw[i].p4info, err);
		p4c_output_free(&po);
	}
out:
	free(src);
	return rc;
}

static int make_state_dir(struct labrt *rt, const char *root, struct p4l_err *err)
{
	if (mkdir(root, 0755) < 0 && errno != EEXIST)
		return p4l_errf(err, -errno, "cannot create %s: %s", root, strerror(errno));
	if (asprintf(&rt->state_dir, "%s/%s", root, rt->lab->name) < 0) {
		rt->state_dir = NULL;
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	/* The folder is the lab's lock: a second `run` of the same lab stops here. */
	if (mkdir(rt->state_dir, 0755) < 0) {
		if (errno == EEXIST)
			return p4l_errf(err, -EEXIST, "lab '%s' is already running, or was killed "
					"('p4lab clean %s' removes what it left)",
					rt->lab->name, rt->lab->name);
		return p4l_errf(err, -errno, "cannot create %s: %s", rt->state_dir, strerror(errno));
	}
	rt->state_dir_made = true;
	return 0;
}

static int nsfd_of(const struct labrt *rt, const struct lab_endpoint *e)
{
	if (e->sw)
		return rt->switch_nsfd;
	for (size_t i = 0; i < rt->lab->n_hosts; i++)
		if (rt->lab->hosts[i] == e->host)
			return rt->host_nsfd[i];
	return -1;
}

static int make_namespaces(struct labrt *rt, struct p4l_err *err)
{
	struct lab *lab = rt->lab;
	int rc;
	for (size_t i = 0; i < lab->n_hosts; i++) {
		const char *ns = lab->hosts[i]->netns;
		if ((rc = netns_add(ns, err)) < 0)
			return rc;
		rt->n_host_ns = i + 1;
		if ((rc = netns_open(ns, err)) < 0)
			return rc;
		rt->host_nsfd[i] = rc;
	}
	if (lab->n_switches) {
		if ((rc = netns_add(lab->switch_netns, err)) < 0)
			return rc;
		rt->switch_ns = true;
		if ((rc = netns_open(lab->switch_netns, err)) < 0)
			return rc;
		rt->switch_nsfd = rc;
	}
	return 0;
}

static int make_links(struct labrt *rt, struct p4l_err *err)
{
	struct nl nl;
	int rc = nl_open(&nl, err);
	for (size_t i = 0; rc >= 0 && i < rt->lab->n_links; i++) {
		const struct lab_endpoint *e = rt->lab->links[i]->ep;
		const uint8_t *mac[2];
		for (int k = 0; k < 2; k++)
			mac[k] = e[k].host && (e[k].host->has_ip || e[k].host->has_mac) &&
				 !strcmp(e[k].ifname, e[k].host->main_if) ? e[k].host->mac : NULL;
		rc = nl_veth_add(&nl, e[0].ifname, nsfd_of(rt, &e[0]), mac[0],
				 e[1].ifname, nsfd_of(rt, &e[1]), mac[1], err);
		if (rc < 0 && rt->lab->file && rt->lab->links[i]->line)
			p4l_err_prefix(err, "%s:%d: link", rt->lab->file, rt->lab->links[i]->line);
	}
	nl_close(&nl);
	return rc;
}

/* Opens a netlink socket inside nsfd. */
static int nl_open_in(struct nl *nl, int nsfd, struct p4l_err *err)
{
	int saved, rc = netns_enter(nsfd, &saved, err);
	if (rc < 0)
		return rc;
	rc = nl_open(nl, err);
	netns_leave(saved);
	return rc;
}

/* Brings up every interface of one namespace, then gives a host its address,
 * its neighbours (every other host of its subnet, and its gateway) and its
 * default route. */
static int configure_ns(struct labrt *rt, int nsfd, const struct lab_host *h, struct p4l_err *err)
{
	struct lab *lab = rt->lab;
	struct nl nl;
	int rc = nl_open_in(&nl, nsfd, err), main_index = 0;

	for (size_t i = 0; rc >= 0 && i < lab->n_links * 2; i++) {
		const struct lab_endpoint *e = &lab->links[i / 2]->ep[i % 2];
		if (h ? e->host != h : !e->sw)
			continue;
		if ((rc = nl_link_index(&nl, e->ifname, err)) < 0)
			break;
		int index = rc;
		if (h && !strcmp(e->ifname, h->main_if))
			main_index = index;
		rc = nl_link_up(&nl, index, err);
		/* Both ends shape what they send: the rate holds each way. */
		if (rc >= 0 && lab->links[i / 2]->rate_bps)
			rc = nl_tbf_set(&nl, index, lab->links[i / 2]->rate_bps, err);
	}
	if (rc >= 0 && h && h->has_ip) {
		uint32_t mask = h->prefix ? htonl(~0u << (32 - h->prefix)) : 0;
		rc = nl_addr_add(&nl, main_index, h->ip, h->prefix, err);
		for (size_t i = 0; rc >= 0 && i < lab->n_hosts; i++) {
			const struct lab_host *o = lab->hosts[i];
			if (o != h && o->has_ip && (o->ip.s_addr & mask) == (h->ip.s_addr & mask))
				rc = nl_neigh_add(&nl, main_index, o->ip, o->mac, err);
		}
		if (rc >= 0 && h->has_gw_mac)
			rc = nl_neigh_add(&nl, main_index, h->gw, h->gw_mac, err);
		if (rc >= 0 && h->has_gw)
			rc = nl_route_default(&nl, main_index, h->gw, err);
	}
	nl_close(&nl);
	if (rc < 0)
		p4l_err_prefix(err, "%s", h ? h->netns : lab->switch_netns);
	return rc;
}

/* Waits until every interface of one namespace is operationally up.  The
 * kernel attaches a veth's queue from its link watcher, up to a second after
 * the link comes up; a ping sent before that is silently dropped. */
static int wait_running(struct labrt *rt, int nsfd, const struct lab_host *h, double deadline,
			struct p4l_err *err)
{
	struct lab *lab = rt->lab;
	struct nl nl;
	int rc = nl_open_in(&nl, nsfd, err);

	for (size_t i = 0; rc >= 0 && i < lab->n_links * 2; i++) {
		const struct lab_endpoint *e = &lab->links[i / 2]->ep[i % 2];
		if (h ? e->host != h : !e->sw)
			continue;
		while ((rc = nl_link_running(&nl, e->ifname, err)) == 0) {
			if (now_seconds() > deadline) {
				rc = p4l_errf(err, -ETIMEDOUT, "%s: interface %s is not up after %d s",
					      h ? h->netns : lab->switch_netns, e->ifname,
					      LINK_UP_TIMEOUT_S);
				break;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 5 * 1000 * 1000 }, NULL);
		}
	}
	nl_close(&nl);
	return rc;
}

static int wait_all_running(struct labrt *rt, struct p4l_err *err)
{
	double deadline = now_seconds() + LINK_UP_TIMEOUT_S;
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < rt->lab->n_hosts; i++)
		rc = wait_running(rt, rt->host_nsfd[i], rt->lab->hosts[i], deadline, err);
	if (rc >= 0 && rt->lab->n_switches)
		rc = wait_running(rt, rt->switch_nsfd, NULL, deadline, err);
	return rc;
}

/* Arguments of one p4lab-switch. */
struct args {
	char **v;
	size_t n;
	bool oom;
};

__attribute__((format(printf, 2, 3)))
static void arg(struct args *a, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	char **v = realloc(a->v, (a->n + 2) * sizeof(*v));
	if (!s || !v) {
		free(s);
		if (v)
			a->v = v;
		a->oom = true;
		return;
	}
	v[a->n++] = s;
	v[a->n] = NULL;
	a->v = v;
}

static void args_free(struct args *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* Children start with no signal blocked and the shell's ignored and caught
 * signals back to their defaults; flags adds POSIX_SPAWN_ flags. */
static void spawn_attr_init(posix_spawnattr_t *attr, short flags)
{
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGQUIT);
	posix_spawnattr_init(attr);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | flags);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &dfl);
}

static int spawn_switch(struct labrt *rt, size_t i, const char *exe, struct p4l_err *err)
{
	struct lab *lab = rt->lab;
	struct lab_switch *sw = lab->switches[i];
	struct labrt_switch *s = &rt->sw[i];
	struct args a = { 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int pipefd[2], rc;
	char at[1200];

	sw_where(lab, sw, at, sizeof(at));
	if (asprintf(&s->errfile, "%s/%s.stderr", rt->state_dir, sw->name) < 0) {
		s->errfile = NULL;
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	if (sw->log == LAB_LOG_TRACE &&
	    asprintf(&s->log, "%s/%s.log", rt->state_dir, sw->name) < 0) {
		s->log = NULL;
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	arg(&a, "%s", exe);
	arg(&a, "--netns");
	arg(&a, "%s", lab->switch_netns);
	arg(&a, "--device-id");
	arg(&a, "%u", sw->device_id);
	for (size_t k = 0; k < lab->n_links * 2; k++) {
		const struct lab_endpoint *e = &lab->links[k / 2]->ep[k % 2];
		if (e->sw == sw) {
			arg(&a, "-i");
			arg(&a, "%d@%s", e->port, e->ifname);
		}
	}
	if (s->p4info) {
		/* programmed over P4Runtime once ready (labrt_p4rt.c) */
		arg(&a, "--no-p4");
		arg(&a, "--grpc-server-addr");
		arg(&a, "127.0.0.1:%u", sw->grpc_port);
		if (sw->cpu_port) {
			arg(&a, "--cpu-port");
			arg(&a, "%u", sw->cpu_port);
		}
	} else if (sw->entries) {
		char *p = lab_path(lab, sw->entries);
		arg(&a, "--entries");
		arg(&a, "%s", p ? p : "");
		a.oom |= !p;
		free(p);
	}
	if (s->log) {
		arg(&a, "--log-file");
		arg(&a, "%s", s->log);
	}
	arg(&a, "--ready-fd");
	arg(&a, "%d", SWITCH_READY_FD);
	if (!s->p4info)
		arg(&a, "%s", s->json);
	if (a.oom) {
		args_free(&a);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		args_free(&a);
		return p4l_errf(err, -errno, "%s: pipe: %s", at, strerror(errno));
	}
	/* Its own process group: Ctrl-C in the shell is for the shell's command,
	 * switches are stopped by labrt_stop in order. */
	spawn_attr_init(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, s->errfile, O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], SWITCH_READY_FD);
	rc = posix_spawn(&s->pid, exe, &fa, &attr, a.v, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	args_free(&a);
	close(pipefd[1]);
	if (rc != 0) {
		s->pid = 0;
		close(pipefd[0]);
		return p4l_errf(err, -rc, "%s: cannot start %s: %s", at, exe, strerror(rc));
	}
	s->ready_fd = pipefd[0];
	s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	return 0;
}

/* The first lines of what a failed switch wrote, folded into one line. */
static void switch_stderr(const struct labrt_switch *s, char *buf, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	buf[0] = '\0';
	if (p4l_read_file(s->errfile, &text, &len, NULL) < 0)
		return;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			text[i] = ' ';
	snprintf(buf, size, "%s", text);
	free(text);
}

/* Reaps switch s if it exits within ms; returns its wait status or -1. */
static int reap(struct labrt_switch *s, int ms)
{
	int status;
	if (s->pid <= 0)
		return -1;
	if (s->pidfd >= 0) {
		struct pollfd p = { .fd = s->pidfd, .events = POLLIN };
		poll(&p, 1, ms);
	}
	if (waitpid(s->pid, &status, s->pidfd >= 0 || ms == 0 ? WNOHANG : 0) != s->pid)
		return -1;
	s->pid = 0;
	return status;
}

static int switch_failed(struct labrt *rt, size_t i, const char *why, struct p4l_err *err)
{
	struct labrt_switch *s = &rt->sw[i];
	char at[1200], out[600], st[64] = "";
	bool late = s->ready_fd >= 0;  /* still silent: it has not exited */
	if (late && s->pid > 0)
		kill(s->pid, SIGTERM);
	int status = reap(s, 2000);
	if (late)
		status = -1;  /* our SIGTERM says nothing about the switch */
	sw_where(rt->lab, rt->lab->switches[i], at, sizeof(at));
	switch_stderr(s, out, sizeof(out));
	if (status >= 0 && WIFEXITED(status))
		snprintf(st, sizeof(st), " (exit status %d)", WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		snprintf(st, sizeof(st), " (killed by signal %d)", WTERMSIG(status));
	return p4l_errf(err, -EIO, "%s failed to start: %s%s%s%s", at, why, st,
			out[0] ? ": " : "", out);
}

/* Waits until every switch has written "ready", one fails, time runs out, or
 * stop_fd becomes readable. */
static int wait_ready(struct labrt *rt, const struct labrt_options *opt, struct p4l_err *err)
{
	size_t n = rt->lab->n_switches, left = n;
	struct pollfd *p = calloc(n + 1, sizeof(*p));
	int timeout = opt->ready_timeout_ms > 0 ? opt->ready_timeout_ms : 60000;
	double deadline = now_seconds() + timeout / 1000.0;
	int rc = 0;

	if (!p)
		return p4l_errf(err, -ENOMEM, "out of memory");
	while (left && rc >= 0) {
		for (size_t i = 0; i < n; i++)
			p[i] = (struct pollfd){ .fd = rt->sw[i].ready_fd, .events = POLLIN };
		p[n] = (struct pollfd){ .fd = opt->stop_fd, .events = POLLIN };
		int ms = (int)((deadline - now_seconds()) * 1000);
		int r = poll(p, n + 1, ms > 0 ? ms : 0);
		if (r < 0 && errno != EINTR) {
			rc = p4l_errf(err, -errno, "poll: %s", strerror(errno));
			break;
		}
		if (r == 0) {
			for (size_t i = 0; i < n; i++)
				if (rt->sw[i].ready_fd >= 0) {
					rc = switch_failed(rt, i, "not ready in time", err);
					break;
				}
			break;
		}
		if (r > 0 && p[n].revents) {
			rc = p4l_errf(err, -EINTR, "start-up interrupted");
			break;
		}
		for (size_t i = 0; i < n && rc >= 0 && r > 0; i++) {
			struct labrt_switch *s = &rt->sw[i];
			char buf[128];
			if (s->ready_fd < 0 || !p[i].revents)
				continue;
			ssize_t got = read(s->ready_fd, buf, sizeof(buf) - 1);
			if (got < 0 && errno == EINTR)
				continue;
			close(s->ready_fd);
			s->ready_fd = -1;
			buf[got > 0 ? got : 0] = '\0';
			/* "ready\n", or "ready grpc=127.0.0.1:PORT\n" */
			if (!strcmp(buf, "ready\n"))
				left--;
			else if (!strncmp(buf, "ready grpc=", 11) && got > 12 && buf[got - 1] == '\n' &&
				 (size_t)got - 12 < sizeof(s->grpc_addr)) {
				snprintf(s->grpc_addr, sizeof(s->grpc_addr), "%.*s", (int)got - 12,
					 buf + 11);
				left--;
			} else
				rc = switch_failed(rt, i, "exited before it was ready", err);
		}
	}
	free(p);
	return rc;
}

static struct labrt *rt_new(struct lab *lab)
{
	struct labrt *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	rt->lab = lab;
	rt->switch_nsfd = -1;
	rt->host_nsfd = malloc((lab->n_hosts + 1) * sizeof(int));
	rt->sw = calloc(lab->n_switches + 1, sizeof(*rt->sw));
	if (!rt->host_nsfd || !rt->sw) {
		free(rt->host_nsfd);
		free(rt->sw);
		free(rt);
		return NULL;
	}
	for (size_t i = 0; i < lab->n_hosts; i++)
		rt->host_nsfd[i] = -1;
	for (size_t i = 0; i < lab->n_switches; i++)
		rt->sw[i].pidfd = rt->sw[i].ready_fd = -1;
	return rt;
}

int labrt_start(struct lab *lab, const struct labrt_options *opt, struct labrt **out,
		struct p4l_err *err)
{
	struct labrt_options defaults = { .stop_fd = -1 };
	struct labrt_push *push = NULL;
	char exe[PATH_MAX];
	double t0 = now_seconds();
	int rc;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	if (!lab->finalized && (rc = lab_finalize(lab, err)) < 0)
		return rc;
	if (getuid() != 0 && geteuid() != 0)
		return p4l_errf(err, -EPERM, "starting a lab needs root (namespaces, veth pairs)");
	struct labrt *rt = rt_new(lab);
	if (!rt)
		return p4l_errf(err, -ENOMEM, "out of memory");
	rt->running = true;
	if ((rc = make_state_dir(rt, opt->state_root ? opt->state_root : LABRT_STATE_ROOT, err)) < 0)
		goto fail;
	if (netns_exists(lab->switch_netns) || (lab->n_hosts && netns_exists(lab->hosts[0]->netns))) {
		rc = p4l_errf(err, -EEXIST, "namespaces of lab '%s' exist already ('p4lab clean "
			      "%s' removes them)", lab->name, lab->name);
		goto fail;
	}
	if ((rc = labrt_write_state(rt, err)) < 0)
		goto fail;
	if (lab->n_switches) {
		if (opt->switch_exe)
			snprintf(exe, sizeof(exe), "%s", opt->switch_exe);
		else if ((rc = labrt_find_switch(exe, sizeof(exe), err)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < lab->n_switches; i++)
		if ((rc = prepare_program(rt, i, opt, err)) < 0)
			goto fail;
	if ((rc = make_namespaces(rt, err)) < 0 || (rc = make_links(rt, err)) < 0)
		goto fail;
	for (size_t i = 0; i < lab->n_hosts; i++)
		if ((rc = configure_ns(rt, rt->host_nsfd[i], lab->hosts[i], err)) < 0)
			goto fail;
	if (lab->n_switches && (rc = configure_ns(rt, rt->switch_nsfd, NULL, err)) < 0)
		goto fail;
	for (size_t i = 0; i < lab->n_switches; i++)
		if ((rc = spawn_switch(rt, i, exe, err)) < 0)
			goto fail;
	/* Recorded before waiting, so a lab killed while its switches load can
	 * still be cleaned. */
	if ((rc = labrt_write_state(rt, err)) < 0 || (rc = wait_ready(rt, opt, err)) < 0 ||
	    (rc = labrt_p4rt_push_start(rt, &push, err)) < 0)
		goto fail;
	/* the links come up while the pipelines go in */
	rc = wait_all_running(rt, err);
	int pushed = labrt_p4rt_push_wait(push, rc < 0 ? NULL : err);
	if (rc < 0 || (rc = pushed) < 0)
		goto fail;
	rt->start_seconds = now_seconds() - t0;
	*out = rt;
	return 0;
fail:
	labrt_stop(rt, NULL);
	labrt_free(rt);
	return rc;
}

static void remove_state_dir(struct labrt *rt, struct p4l_err *err, int *rc)
{
	DIR *d;
	if (!rt->state_dir_made || !(d = opendir(rt->state_dir)))
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && *rc >= 0)
			*rc = p4l_errf(err, -errno, "cannot remove %s/%s: %s", rt->state_dir,
				       e->d_name, strerror(errno));
	}
	closedir(d);
	if (rmdir(rt->state_dir) < 0 && *rc >= 0)
		*rc = p4l_errf(err, -errno, "cannot remove %s: %s", rt->state_dir, strerror(errno));
	rt->state_dir_made = false;
}

int labrt_stop(struct labrt *rt, struct p4l_err *err)
{
	struct lab *lab;
	int rc = 0, r;

	if (!rt || !rt->running)
		return 0;
	lab = rt->lab;
	labrt_p4rt_close(rt);
	for (size_t i = 0; i < lab->n_switches; i++)
		if (rt->sw[i].pid > 0)
			kill(rt->sw[i].pid, SIGTERM);
	/* A switch gets a few seconds to stop cleanly; then it is killed. */
	for (size_t i = 0; i < lab->n_switches; i++) {
		struct labrt_switch *s = &rt->sw[i];
		if (s->pid > 0 && reap(s, 5000) < 0 && s->pid > 0) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			s->pid = 0;
		}
		if (s->pidfd >= 0)
			close(s->pidfd);
		if (s->ready_fd >= 0)
			close(s->ready_fd);
		s->pidfd = s->ready_fd = -1;
	}
	for (size_t i = 0; i < lab->n_hosts; i++) {
		if (rt->host_nsfd[i] >= 0)
			close(rt->host_nsfd[i]);
		rt->host_nsfd[i] = -1;
		/* Only what this lab made: a clash may have stopped it at another's. */
		if (i >= rt->n_host_ns)
			continue;
		netns_kill_all(lab->hosts[i]->netns);
		if ((r = netns_del(lab->hosts[i]->netns, err)) < 0 && rc >= 0)
			rc = r;
	}
	rt->n_host_ns = 0;
	if (rt->switch_nsfd >= 0)
		close(rt->switch_nsfd);
	rt->switch_nsfd = -1;
	if (rt->switch_ns)
		netns_kill_all(lab->switch_netns);
	if (rt->switch_ns && (r = netns_del(lab->switch_netns, err)) < 0 && rc >= 0)
		rc = r;
	rt->switch_ns = false;
	remove_state_dir(rt, err, &rc);
	rt->running = false;
	return rc;
}

void labrt_free(struct labrt *rt)
{
	if (!rt)
		return;
	labrt_stop(rt, NULL);
	for (size_t i = 0; i < rt->lab->n_switches; i++) {
		free(rt->sw[i].json);
		free(rt->sw[i].log);
		free(rt->sw[i].errfile);
		free(rt->sw[i].p4info);
	}
	free(rt->sw);
	free(rt->host_nsfd);
	free(rt->state_dir);
	free(rt);
}

int labrt_reap_exited(struct labrt *rt, struct p4l_err *err)
{
	int n = 0;
	for (size_t i = 0; rt->running && i < rt->lab->n_switches; i++) {
		struct labrt_switch *s = &rt->sw[i];
		int status = s->pid > 0 ? reap(s, 0) : -1;
		if (status < 0)
			continue;
		if (!n++) {
			char out[600], st[64];
			switch_stderr(s, out, sizeof(out));
			if (WIFSIGNALED(status))
				snprintf(st, sizeof(st), "killed by signal %d", WTERMSIG(status));
			else
				snprintf(st, sizeof(st), "exit status %d", WEXITSTATUS(status));
			p4l_errf(err, -ECHILD, "switch '%s' stopped (%s)%s%s", rt->lab->switches[i]->name,
				 st, out[0] ? ": " : "", out);
		}
	}
	return n;
}

int labrt_spawn_in_host(struct labrt *rt, const struct lab_host *h, char *const argv[],
			const posix_spawn_file_actions_t *fa, pid_t *pid, struct p4l_err *err)
{
	int nsfd = -1, saved, rc;
	for (size_t i = 0; i < rt->lab->n_hosts; i++)
		if (rt->lab->hosts[i] == h)
			nsfd = rt->host_nsfd[i];
	if (nsfd < 0)
		return p4l_errf(err, -ENOENT, "host '%s' is not running", h->name);
	posix_spawnattr_t attr;
	spawn_attr_init(&attr, 0);
	/* The child is made in the namespace of the calling thread. */
	if ((rc = netns_enter(nsfd, &saved, err)) < 0) {
		posix_spawnattr_destroy(&attr);
		return rc;
	}
	rc = posix_spawnp(pid, argv[0], fa, &attr, argv, environ);
	netns_leave(saved);
	posix_spawnattr_destroy(&attr);
	if (rc != 0)
		return p4l_errf(err, -rc, "%s: cannot run %s: %s", h->name, argv[0], strerror(rc));
	return 0;
}
