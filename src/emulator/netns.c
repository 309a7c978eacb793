/* netns.c - named network namespaces; see netns.h.
 *
 * Creation follows what iproute2 does so both tools agree: /run/netns is a
 * shared mount point (bind-mounted on itself once), each name is an empty file
 * on which the namespace is bind-mounted.  The new namespace is made with
 * unshare() on this thread, which is then moved back. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nl.h"

static int path_of(const char *name, char *buf, size_t size, struct p4l_err *err)
{
	if (!name[0] || strchr(name, '/') || snprintf(buf, size, NETNS_DIR "/%s", name) >= (int)size)
		return p4l_errf(err, -EINVAL, "'%s' is not a valid namespace name", name);
	return 0;
}

/* Makes /run/netns a shared mount so the namespaces mounted under it show in
 * every mount namespace, as iproute2 does. */
static int prepare_dir(struct p4l_err *err)
{
	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return p4l_errf(err, -errno, "cannot create " NETNS_DIR ": %s", strerror(errno));
	for (int tries = 0; tries < 2; tries++) {
		if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		if (errno != EINVAL || tries)
			break;
		if (mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			break;
	}
	return p4l_errf(err, -errno, "cannot make " NETNS_DIR " a shared mount: %s",
			strerror(errno));
}

static int write_proc(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, value, strlen(value));
	int rc = n < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* Runs in the new namespace.  IPv6 is off because the lab's programs forward
 * IPv4: the kernel's router solicitations, MLD reports and DAD probes would
 * otherwise reach the switches from every host and every switch port,
 * cluttering traces and counters.  /proc/sys/net follows the thread's
 * namespace when opened. */
static int setup_inside(const char *name, struct p4l_err *err)
{
	int rc;
	if ((rc = write_proc("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1")) < 0 ||
	    (rc = write_proc("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1")) < 0) {
		if (rc != -ENOENT)  /* a kernel without IPv6 has nothing to turn off */
			return p4l_errf(err, rc, "namespace '%s': cannot disable IPv6: %s",
					name, strerror(-rc));
	}
	struct nl nl;
	if ((rc = nl_open(&nl, err)) < 0)
		return rc;
	rc = nl_link_up(&nl, 1, err);
	nl_close(&nl);
	if (rc < 0)
		p4l_err_prefix(err, "namespace '%s': lo", name);
	return rc;
}

int netns_add(const char *name, struct p4l_err *err)
{
	char path[256];
	int rc, fd, saved;

	if ((rc = path_of(name, path, sizeof(path), err)) < 0 || (rc = prepare_dir(err)) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		if (errno == EEXIST)
			return p4l_errf(err, -EEXIST, "namespace '%s' already exists", name);
		return p4l_errf(err, -errno, "cannot create %s: %s", path, strerror(errno));
	}
	close(fd);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		rc = p4l_errf(err, -errno, "cannot open this thread's namespace: %s", strerror(errno));
		unlink(path);
		return rc;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		rc = p4l_errf(err, -errno, "cannot create namespace '%s': %s", name, strerror(errno));
		close(saved);
		unlink(path);
		return rc;
	}
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		rc = p4l_errf(err, -errno, "cannot bind-mount namespace '%s' on %s: %s", name,
			      path, strerror(errno));
	else
		rc = setup_inside(name, err);
	if (setns(saved, CLONE_NEWNET) < 0 && rc >= 0)
		rc = p4l_errf(err, -errno, "cannot return from namespace '%s': %s", name,
			      strerror(errno));
	close(saved);
	if (rc < 0) {
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	return rc;
}

int netns_del(const char *name, struct p4l_err *err)
{
	char path[256];
	int rc = path_of(name, path, sizeof(path), err);
	if (rc < 0)
		return rc;
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return p4l_errf(err, -errno, "cannot unmount %s: %s", path, strerror(errno));
	if (unlink(path) < 0 && errno != ENOENT)
		return p4l_errf(err, -errno, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

bool netns_exists(const char *name)
{
	char path[256];
	if (path_of(name, path, sizeof(path), NULL) < 0)
		return false;
	return access(path, F_OK) == 0;
}

int netns_kill_all(const char *name)
{
	char path[300];
	struct stat ns, st;
	struct dirent *e;
	int count = 0;

	if (path_of(name, path, sizeof(path), NULL) < 0 || stat(path, &ns) < 0)
		return 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((e = readdir(proc))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 1 || pid == (long)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino &&
		    kill((pid_t)pid, SIGKILL) == 0)
			count++;
	}
	closedir(proc);
	return count;
}

int netns_open(const char *name, struct p4l_err *err)
{
	char path[256];
	int rc = path_of(name, path, sizeof(path), err);
	if (rc < 0)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return p4l_errf(err, -errno, "cannot open namespace '%s': %s", name, strerror(errno));
	return fd;
}

int netns_enter(int nsfd, int *saved, struct p4l_err *err)
{
	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return p4l_errf(err, -errno, "cannot open this thread's namespace: %s", strerror(errno));
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		int rc = p4l_errf(err, -errno, "cannot enter namespace: %s", strerror(errno));
		close(*saved);
		*saved = -1;
		return rc;
	}
	return 0;
}

void netns_leave(int saved)
{
	if (saved < 0)
		return;
	/* Returning to a namespace we hold an fd of cannot fail short of a
	 * kernel bug; carrying on inside a lab's namespace would be worse. */
	if (setns(saved, CLONE_NEWNET) < 0)
		abort();
	close(saved);
}

int netns_foreach(const char *prefix, int (*fn)(const char *name, void *arg), void *arg)
{
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;
	int rc = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		int r = fn(e->d_name, arg);
		if (r < 0 && rc == 0)
			rc = r;
	}
	closedir(d);
	return rc;
}
