/* nl.h - the rtnetlink requests the emulator makes, over libmnl.
 *
 * A struct nl is a NETLINK_ROUTE socket bound to the namespace of the thread
 * that opened it; it keeps working there after the thread leaves.  Each call
 * sends one request and waits for its acknowledgement, so a kernel refusal
 * comes back as that call's error.  Used by netns.c and labrt.c. */
#ifndef P4L_NL_H
#define P4L_NL_H

#include <netinet/in.h>
#include <stdint.h>

#include "error.h"

struct mnl_socket;

struct nl {
	struct mnl_socket *sock;
	unsigned seq;
	unsigned portid;
	char *buf;  /* MNL_SOCKET_BUFFER_SIZE bytes */
};

int nl_open(struct nl *nl, struct p4l_err *err);
void nl_close(struct nl *nl);  /* safe on a zeroed or closed nl */

/* A veth pair whose ends are created directly in their namespaces (nsfd_a,
 * nsfd_b) under their final names; mac_a/mac_b may be NULL (kernel-chosen). */
int nl_veth_add(struct nl *nl, const char *name_a, int nsfd_a, const uint8_t *mac_a,
		const char *name_b, int nsfd_b, const uint8_t *mac_b, struct p4l_err *err);

/* The index of an interface of the socket's namespace, or a negative errno. */
int nl_link_index(struct nl *nl, const char *name, struct p4l_err *err);
int nl_link_up(struct nl *nl, int ifindex, struct p4l_err *err);
/* 1 if the interface is operationally up (carrier on and, for the kernel's
 * link watcher, its queue attached: until then what is sent is dropped),
 * 0 if not yet, or a negative errno. */
int nl_link_running(struct nl *nl, const char *name, struct p4l_err *err);
int nl_addr_add(struct nl *nl, int ifindex, struct in_addr ip, unsigned prefix,
		struct p4l_err *err);
int nl_route_default(struct nl *nl, int ifindex, struct in_addr gw, struct p4l_err *err);
/* Shapes what the interface sends to rate_bps (a token bucket, tbf). */
int nl_tbf_set(struct nl *nl, int ifindex, uint64_t rate_bps, struct p4l_err *err);
/* A permanent neighbour (static ARP) entry. */
int nl_neigh_add(struct nl *nl, int ifindex, struct in_addr ip, const uint8_t mac[6],
		 struct p4l_err *err);

#endif
