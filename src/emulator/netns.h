/* netns.h - named network namespaces, the way iproute2 keeps them.
 *
 * A named namespace is a bind mount of the namespace on /run/netns/NAME, so
 * `ip netns exec NAME ...` sees what the emulator makes and the namespace
 * lives until the mount is removed.  Used by the lab starter (labrt.c) and by
 * `p4lab clean`.  Entering a namespace switches the calling thread only. */
#ifndef P4L_NETNS_H
#define P4L_NETNS_H

#include <stdbool.h>

#include "error.h"

#define NETNS_DIR "/run/netns"

/* Creates /run/netns/name holding a fresh namespace in which IPv6 is off and
 * lo is up.  -EEXIST if the name is taken. */
int netns_add(const char *name, struct p4l_err *err);

/* Unmounts and removes /run/netns/name; 0 if it did not exist.  The namespace
 * (and every interface in it) goes once nothing else holds it. */
int netns_del(const char *name, struct p4l_err *err);

bool netns_exists(const char *name);

/* SIGKILLs every process (but this one) whose network namespace is the named
 * one: what a lab's users left running in a host (`h2 iperf3 -s -D`) would
 * otherwise keep the namespace alive after its name is gone.  Returns how
 * many were signalled. */
int netns_kill_all(const char *name);

/* An O_CLOEXEC fd of the named namespace. */
int netns_open(const char *name, struct p4l_err *err);

/* Moves the calling thread into nsfd; *saved gets an fd of the namespace it
 * was in, for netns_leave (which closes it). */
int netns_enter(int nsfd, int *saved, struct p4l_err *err);
void netns_leave(int saved);

/* Calls fn for every name in /run/netns that starts with prefix. */
int netns_foreach(const char *prefix, int (*fn)(const char *name, void *arg), void *arg);

#endif
