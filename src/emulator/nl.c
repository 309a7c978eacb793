/* nl.c - rtnetlink requests over libmnl; see nl.h. */
#include "nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int nl_open(struct nl *nl, struct p4l_err *err)
{
	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	if (!nl->buf)
		return p4l_errf(err, -ENOMEM, "out of memory");
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int rc = p4l_errf(err, -errno, "cannot open a netlink socket: %s", strerror(errno));
		nl_close(nl);
		return rc;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}

static struct nlmsghdr *start(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++nl->seq;
	return h;
}

/* Sends h and runs cb (may be NULL) on the answers until the ack. */
static int transact(struct nl *nl, struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	unsigned seq = h->nlmsg_seq;
	if (mnl_socket_sendto(nl->sock, h, h->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, MNL_SOCKET_BUFFER_SIZE);
		if (n < 0)
			return -errno;
		int rc = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, cb, data);
		if (rc < 0)
			return -errno;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

/* One end of a veth pair: its ifinfomsg (zeroed by libmnl), name,
 * namespace and MAC (mac NULL: the kernel picks one). */
static void veth_end(struct nlmsghdr *h, const char *name, int nsfd, const uint8_t *mac)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)nsfd);
	if (mac)
		mnl_attr_put(h, IFLA_ADDRESS, 6, mac);
}

int nl_veth_add(struct nl *nl, const char *name_a, int nsfd_a, const uint8_t *mac_a,
		const char *name_b, int nsfd_b, const uint8_t *mac_b, struct p4l_err *err)
{
	struct nlmsghdr *h = start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	veth_end(h, name_a, nsfd_a, mac_a);
	struct nlattr *linkinfo = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(h, VETH_INFO_PEER);
	/* The peer's attributes follow its own ifinfomsg inside the nest. */
	veth_end(h, name_b, nsfd_b, mac_b);
	mnl_attr_nest_end(h, peer);
	mnl_attr_nest_end(h, data);
	mnl_attr_nest_end(h, linkinfo);
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot create veth pair %s/%s: %s", name_a, name_b,
				strerror(-rc));
	return 0;
}

/* RTM_GETLINK for one interface by name, without its statistics. */
static struct nlmsghdr *get_link(struct nl *nl, const char *name)
{
	struct nlmsghdr *h = start(nl, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	return h;
}

static int link_cb(const struct nlmsghdr *h, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	*(int *)data = ifi->ifi_index;
	return MNL_CB_OK;
}

int nl_link_index(struct nl *nl, const char *name, struct p4l_err *err)
{
	struct nlmsghdr *h = get_link(nl, name);
	int index = 0;
	int rc = transact(nl, h, link_cb, &index);
	if (rc < 0 || index <= 0)
		return p4l_errf(err, rc < 0 ? rc : -ENODEV, "no interface '%s': %s", name,
				strerror(rc < 0 ? -rc : ENODEV));
	return index;
}

static int oper_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_OPERSTATE && mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
		*(int *)data = mnl_attr_get_u8(a);
	return MNL_CB_OK;
}

static int oper_cb(const struct nlmsghdr *h, void *data)
{
	return mnl_attr_parse(h, sizeof(struct ifinfomsg), oper_attr_cb, data);
}

int nl_link_running(struct nl *nl, const char *name, struct p4l_err *err)
{
	struct nlmsghdr *h = get_link(nl, name);
	int oper = -1;
	int rc = transact(nl, h, oper_cb, &oper);
	if (rc < 0)
		return p4l_errf(err, rc, "no interface '%s': %s", name, strerror(-rc));
	return oper == IF_OPER_UP;
}

int nl_link_up(struct nl *nl, int ifindex, struct p4l_err *err)
{
	struct nlmsghdr *h = start(nl, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot bring interface %d up: %s", ifindex, strerror(-rc));
	return 0;
}

int nl_addr_add(struct nl *nl, int ifindex, struct in_addr ip, unsigned prefix,
		struct p4l_err *err)
{
	struct nlmsghdr *h = start(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(h, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(h, IFA_LOCAL, 4, &ip);
	mnl_attr_put(h, IFA_ADDRESS, 4, &ip);
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot add an address: %s", strerror(-rc));
	return 0;
}

int nl_route_default(struct nl *nl, int ifindex, struct in_addr gw, struct p4l_err *err)
{
	struct nlmsghdr *h = start(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(h, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(h, RTA_GATEWAY, 4, &gw);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)ifindex);
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot add the default route: %s", strerror(-rc));
	return 0;
}

int nl_neigh_add(struct nl *nl, int ifindex, struct in_addr ip, const uint8_t mac[6],
		 struct p4l_err *err)
{
	struct nlmsghdr *h = start(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(h, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(h, NDA_DST, 4, &ip);
	mnl_attr_put(h, NDA_LLADDR, 6, mac);
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot add a neighbour entry: %s", strerror(-rc));
	return 0;
}

int nl_tbf_set(struct nl *nl, int ifindex, uint64_t rate_bps, struct p4l_err *err)
{
	uint64_t bytes = rate_bps / 8;
	/* The bucket holds 10 ms of traffic and at least a 64 KB TSO super-packet
	 * (smaller would make tbf segment them); the queue 50 ms more. */
	uint64_t burst = bytes / 100 > 131072 ? bytes / 100 : 131072;
	uint64_t limit = burst + bytes / 20;
	if (burst > UINT32_MAX)
		burst = UINT32_MAX;
	if (limit > UINT32_MAX)
		limit = UINT32_MAX;

	struct nlmsghdr *h = start(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE);
	struct tcmsg *tcm = mnl_nlmsg_put_extra_header(h, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	mnl_attr_put_strz(h, TCA_KIND, "tbf");
	struct nlattr *opts = mnl_attr_nest_start(h, TCA_OPTIONS);
	struct tc_tbf_qopt q;
	memset(&q, 0, sizeof(q));
	/* An Ethernet-aware rate needs no rate table. */
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.rate.rate = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	q.limit = (uint32_t)limit;
	mnl_attr_put(h, TCA_TBF_PARMS, sizeof(q), &q);
	if (bytes > UINT32_MAX)
		mnl_attr_put_u64(h, TCA_TBF_RATE64, bytes);
	mnl_attr_put_u32(h, TCA_TBF_BURST, (uint32_t)burst);
	mnl_attr_nest_end(h, opts);
	int rc = transact(nl, h, NULL, NULL);
	if (rc < 0)
		return p4l_errf(err, rc, "cannot limit interface %d's rate (tbf): %s", ifindex,
				strerror(-rc));
	return 0;
}
