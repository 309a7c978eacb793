/* labrt_state.c - a lab's record in its state folder, and cleaning up after
 * labs that were killed (`p4lab clean`).
 *
 * <state root>/<lab>/state is a text file, rewritten whole (atomically) when
 * it changes:
 *   lab NAME
 *   runner PID START        the `p4lab run` process
 *   netns NAME              every namespace the lab makes (written before)
 *   switch NAME PID START   every switch process
 * START is the process's start time from /proc/PID/stat, so a pid reused by
 * an unrelated process after a reboot or a long time is never signalled. */
#include "labrt.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"
#include "netns.h"

/* A process's start time in clock ticks since boot (from /proc), 0 if gone. */
static unsigned long long proc_start_time(pid_t pid)
{
	char path[64], *text = NULL;
	unsigned long long start = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (p4l_read_file(path, &text, NULL, NULL) < 0)
		return 0;
	/* Field 22; the command name (field 2) may hold spaces, so count from
	 * its closing parenthesis. */
	char *p = strrchr(text, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	free(text);
	return start;
}

int labrt_write_state(const struct labrt *rt, struct p4l_err *err)
{
	const struct lab *lab = rt->lab;
	char *buf = NULL, *path = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return p4l_errf(err, -ENOMEM, "out of memory");
	fprintf(f, "lab %s\nrunner %d %llu\n", lab->name, (int)getpid(),
		proc_start_time(getpid()));
	for (size_t i = 0; i < lab->n_hosts; i++)
		fprintf(f, "netns %s\n", lab->hosts[i]->netns);
	if (lab->n_switches)
		fprintf(f, "netns %s\n", lab->switch_netns);
	for (size_t i = 0; i < lab->n_switches; i++)
		if (rt->sw[i].pid > 0)
			fprintf(f, "switch %s %d %llu\n", lab->switches[i]->name, (int)rt->sw[i].pid,
				proc_start_time(rt->sw[i].pid));
	if (fclose(f) != 0) {
		free(buf);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	if (asprintf(&path, "%s/state", rt->state_dir) < 0) {
		free(buf);
		return p4l_errf(err, -ENOMEM, "out of memory");
	}
	rc = p4l_write_file(path, buf, len, err);
	free(path);
	free(buf);
	return rc;
}

__attribute__((format(printf, 2, 3)))
static void say(FILE *report, const char *fmt, ...)
{
	va_list ap;
	if (!report)
		return;
	va_start(ap, fmt);
	vfprintf(report, fmt, ap);
	va_end(ap);
	fputc('\n', report);
}

/* Waits up to ms for pid (not our child) to exit. */
static bool wait_gone(pid_t pid, unsigned long long start, int ms)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return errno == ESRCH;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, ms);
	close(fd);
	return r > 0 || proc_start_time(pid) != start;
}

/* Stops a recorded process if it is still the one recorded. */
static int stop_process(const char *what, pid_t pid, unsigned long long start, int grace_ms,
			FILE *report)
{
	if (pid <= 1 || pid == getpid() || !start || proc_start_time(pid) != start)
		return 0;
	kill(pid, SIGTERM);
	if (!wait_gone(pid, start, grace_ms)) {
		kill(pid, SIGKILL);
		wait_gone(pid, start, 2000);
	}
	/* If it happens to be our child, do not leave a zombie. */
	waitpid(pid, NULL, WNOHANG);
	say(report, "stopped %s (pid %d)", what, (int)pid);
	return 1;
}

static int del_ns(const char *name, void *arg)
{
	FILE *report = ((void **)arg)[0];
	struct p4l_err *err = ((void **)arg)[1];
	int *count = ((void **)arg)[2];
	if (!netns_exists(name))
		return 0;
	int killed = netns_kill_all(name);
	if (killed)
		say(report, "killed %d process%s in namespace %s", killed, killed == 1 ? "" : "es",
		    name);
	int rc = netns_del(name, err);
	if (rc >= 0) {
		say(report, "removed namespace %s", name);
		(*count)++;
	}
	return rc;
}

/* Stops what one state folder records and removes the folder. */
static int clean_state_dir(const char *dir, FILE *report, int *count, struct p4l_err *err)
{
	char *path = NULL, *text = NULL, *save = NULL;
	int rc = 0;

	if (asprintf(&path, "%s/state", dir) < 0)
		return p4l_errf(err, -ENOMEM, "out of memory");
	if (p4l_read_file(path, &text, NULL, NULL) == 0) {
		/* The runner first (a live `p4lab run` takes its own lab down), then
		 * the switches, gently, then whatever is left in the namespaces. */
		for (int pass = 0; pass < 3; pass++) {
			char *copy = strdup(text);
			for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
			     line = strtok_r(NULL, "\n", &save)) {
				char name[256], what[300];
				int pid;
				unsigned long long start;
				if (pass == 0 && sscanf(line, "runner %d %llu", &pid, &start) == 2)
					*count += stop_process("p4lab run", pid, start, 10000, report);
				else if (pass == 1 && sscanf(line, "switch %255s %d %llu", name, &pid,
							     &start) == 3) {
					snprintf(what, sizeof(what), "switch %s", name);
					*count += stop_process(what, pid, start, 3000, report);
				} else if (pass == 2 && sscanf(line, "netns %255s", name) == 1) {
					void *arg[3] = { report, err, count };
					int r = del_ns(name, arg);
					if (r < 0 && rc >= 0)
						rc = r;
				}
			}
			free(copy);
		}
		free(text);
	}
	free(path);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
		if (rmdir(dir) == 0) {
			say(report, "removed %s", dir);
			(*count)++;
		} else if (errno != ENOENT && rc >= 0) {
			rc = p4l_errf(err, -errno, "cannot remove %s: %s", dir, strerror(errno));
		}
	}
	return rc;
}

int labrt_clean(const char *state_root, const char *lab_name, FILE *report,
		struct p4l_err *err)
{
	char prefix[LAB_NETNS_MAX + 2];
	int count = 0, rc = 0, r;
	void *arg[3] = { report, err, &count };

	if (!state_root)
		state_root = LABRT_STATE_ROOT;
	if (lab_name && !lab_valid_name(lab_name))
		return p4l_errf(err, -EINVAL, "'%s' is not a valid lab name", lab_name);
	DIR *d = opendir(state_root);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			char *dir;
			if (e->d_name[0] == '.' || (lab_name && strcmp(e->d_name, lab_name)))
				continue;
			if (asprintf(&dir, "%s/%s", state_root, e->d_name) < 0) {
				rc = p4l_errf(err, -ENOMEM, "out of memory");
				break;
			}
			r = clean_state_dir(dir, report, &count, err);
			if (r < 0 && rc >= 0)
				rc = r;
			free(dir);
		}
		closedir(d);
	}
	/* Namespaces a lab made before it could record them, or whose record was
	 * lost: names are p4lab-<lab> and p4lab-<lab>.<host>, and lab names
	 * have no '.', so no lab's names are another's prefix. */
	if (lab_name) {
		snprintf(prefix, sizeof(prefix), "p4lab-%s", lab_name);
		r = del_ns(prefix, arg);
		if (r < 0 && rc >= 0)
			rc = r;
		snprintf(prefix, sizeof(prefix), "p4lab-%s.", lab_name);
	} else {
		snprintf(prefix, sizeof(prefix), "p4lab-");
	}
	r = netns_foreach(prefix, del_ns, arg);
	if (r < 0 && rc >= 0)
		rc = r;
	return rc < 0 ? rc : count;
}
