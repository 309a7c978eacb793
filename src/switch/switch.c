/* switch.c - the switch object of switch.h: plan + ports + dataplane thread,
 * and the control-plane calls by index and by name.
 *
 * Interface ports are AF_PACKET sockets opened with PACKET_VNET_HDR, so veth's
 * GSO super-packets (up to 64 KiB, partial checksums) arrive whole with a
 * struct virtio_net_hdr in front and leave the same way; the kernel segments
 * or offloads them.  Batches go through recvmmsg/sendmmsg; one thread sleeps
 * in epoll_wait while idle. */
#include "switch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "plan.h"
#include "table.h"
#include "trace.h"

#define BATCH 32
#define VNET_LEN sizeof(struct virtio_net_hdr)
#define SOCK_BUF (64 << 20)

struct mem_pkt {
	struct mem_pkt *next;
	size_t len;
	uint8_t data[];
};

struct sw_port {
	uint32_t num;
	int fd;                     /* -1 for in-memory ports */
	char ifname[IF_NAMESIZE];
	struct mem_pkt *head, **tail;
	int notify_fd;              /* eventfd told of each queued packet, or -1 */
	/* pending transmissions of the current batch */
	struct mmsghdr tx[BATCH];
	struct iovec txv[BATCH];
	unsigned n_tx;
};

struct sw_switch {
	struct sw_plan *plan;
	struct sw_ctx ctx;          /* for sw_process, in the caller's thread */
	FILE *trace;
	struct sw_port *ports;
	size_t n_ports;
	pthread_mutex_t mem_lock;   /* in-memory queues: dataplane vs sw_port_take */
	pthread_t thread;
	bool running;
	int stop_fd, epoll_fd;
	int thread_err;
};

int sw_create(struct sw_switch **out, const char *json, size_t len, const char *file,
	      struct p4l_err *err)
{
	struct sw_switch *sw = calloc(1, sizeof(*sw));
	int r;
	*out = NULL;
	if (!sw)
		return p4l_errf(err, -ENOMEM, "%s: out of memory", file);
	sw->stop_fd = sw->epoll_fd = -1;
	pthread_mutex_init(&sw->mem_lock, NULL);
	if ((r = sw_plan_load(&sw->plan, json, len, file, err)) < 0) {
		sw_destroy(sw);
		return r;
	}
	if (sw_ctx_init(&sw->ctx, sw->plan) < 0) {
		sw_destroy(sw);
		return p4l_errf(err, -ENOMEM, "%s: out of memory", file);
	}
	*out = sw;
	return 0;
}

int sw_create_from_file(struct sw_switch **out, const char *path, struct p4l_err *err)
{
	char *text;
	size_t len;
	int r = p4l_read_file(path, &text, &len, err);
	if (r < 0)
		return r;
	r = sw_create(out, text, len, path, err);
	free(text);
	return r;
}

void sw_destroy(struct sw_switch *sw)
{
	if (!sw)
		return;
	sw_stop(sw);
	for (size_t i = 0; i < sw->n_ports; i++) {
		struct sw_port *p = &sw->ports[i];
		if (p->fd >= 0)
			close(p->fd);
		for (struct mem_pkt *m = p->head, *n; m; m = n) {
			n = m->next;
			free(m);
		}
	}
	free(sw->ports);
	sw_ctx_fini(&sw->ctx);
	sw_plan_free(sw->plan);
	pthread_mutex_destroy(&sw->mem_lock);
	free(sw);
}

void sw_set_trace(struct sw_switch *sw, FILE *f)
{
	sw->trace = f;
	sw->ctx.trace = f;
}

void sw_print_summary(const struct sw_switch *sw, FILE *f)
{
	const struct sw_plan *p = sw->plan;
	size_t entries = 0;
	for (size_t i = 0; i < p->n_tables; i++)
		entries += p->tables[i].n_entries;
	fprintf(f, "%s: %zu headers (%u PHV bytes), %zu parse states, %zu actions, "
		"%zu tables (%zu entries), %zu checksums\n", p->file, p->n_headers, p->phv_size,
		p->n_states, p->n_actions, p->n_tables, entries, p->n_checksums);
	for (size_t i = 0; i < p->n_tables; i++) {
		const struct sw_table *t = &p->tables[i];
		static const char *const kn[] = { "exact", "lpm", "ternary", "valid", "range",
						  "optional" };
		struct sw_engine_stats st;
		sw_tbl_stats(t, &st);
		if (t->n_keys == 0) {
			fprintf(f, "  table %s (no key: default action only, %zu actions)\n", t->name,
				t->n_actions);
			continue;
		}
		fprintf(f, "  table %s (%s, %zu keys, %zu actions, %zu entries, max %u)\n", t->name,
			kn[t->kind], t->n_keys, t->n_actions, t->n_entries, t->max_size);
		fprintf(f, "    engine %s: %llu of %llu slots used, %llu moves, %llu expanded%s\n",
			t->kind == SW_MATCH_EXACT ? "exact (4-way cuckoo)" : "tcam",
			(unsigned long long)st.slots_used, (unsigned long long)st.capacity,
			(unsigned long long)st.moves, (unsigned long long)st.expansions,
			t->has_hit_index ? ", hit index read by the program (entries pinned)" : "");
	}
	sw_trace_summary(p, f);
}

/* ---- ports ---------------------------------------------------------------- */

static struct sw_port *find_port(const struct sw_switch *sw, uint32_t num)
{
	for (size_t i = 0; i < sw->n_ports; i++)
		if (sw->ports[i].num == num)
			return &sw->ports[i];
	return NULL;
}

static struct sw_port *new_port(struct sw_switch *sw, uint32_t num, struct p4l_err *err)
{
	if (sw->running) {
		p4l_errf(err, -EBUSY, "port %u: cannot add ports while the switch runs", num);
		return NULL;
	}
	if (num >= SW_DROP_PORT) {
		p4l_errf(err, -EINVAL, "port %u: port numbers go from 0 to %d", num, SW_DROP_PORT - 1);
		return NULL;
	}
	if (find_port(sw, num)) {
		p4l_errf(err, -EEXIST, "port %u is attached twice", num);
		return NULL;
	}
	struct sw_port *np = realloc(sw->ports, (sw->n_ports + 1) * sizeof(*np));
	if (!np) {
		p4l_errf(err, -ENOMEM, "out of memory");
		return NULL;
	}
	sw->ports = np;
	/* The in-memory queue's tail points into the array: fix after realloc. */
	for (size_t i = 0; i < sw->n_ports; i++)
		if (!np[i].head)
			np[i].tail = &np[i].head;
		else {
			struct mem_pkt *m = np[i].head;
			while (m->next)
				m = m->next;
			np[i].tail = &m->next;
		}
	struct sw_port *p = &np[sw->n_ports++];
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->fd = -1;
	p->notify_fd = -1;
	p->tail = &p->head;
	return p;
}

int sw_port_add_mem(struct sw_switch *sw, uint32_t port, struct p4l_err *err)
{
	return new_port(sw, port, err) ? 0 : err ? err->code : -EINVAL;
}

int sw_port_add_iface(struct sw_switch *sw, uint32_t port, const char *ifname,
		      struct p4l_err *err)
{
	int one = 1, buf = SOCK_BUF, fd, r;
	unsigned idx = if_nametoindex(ifname);
	if (strlen(ifname) >= IF_NAMESIZE || !idx)
		return p4l_errf(err, -ENODEV, "port %u: no interface named '%s'", port, ifname);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return p4l_errf(err, -errno, "port %u: AF_PACKET socket: %s", port, strerror(errno));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)idx };
	struct packet_mreq mr = { .mr_ifindex = (int)idx, .mr_type = PACKET_MR_PROMISC };
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0) {
		r = p4l_errf(err, -errno, "port %u (%s): PACKET_VNET_HDR: %s", port, ifname,
			     strerror(errno));
		goto fail;
	}
	/* Our own transmissions must not come back as input. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		r = p4l_errf(err, -errno, "port %u (%s): bind: %s", port, ifname, strerror(errno));
		goto fail;
	}
	/* The membership sets promiscuous mode (and drops it when the socket
	 * closes); no SIOCSIFFLAGS. */
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		r = p4l_errf(err, -errno, "port %u (%s): promiscuous mode: %s", port, ifname,
			     strerror(errno));
		goto fail;
	}
	struct sw_port *p = new_port(sw, port, err);
	if (!p) {
		r = err ? err->code : -EINVAL;
		goto fail;
	}
	p->fd = fd;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	return 0;
fail:
	close(fd);
	return r;
}

static void mem_queue(struct sw_switch *sw, struct sw_port *p, const struct sw_ctx *c)
{
	/* In-memory ports are the test ports: allocating per packet is fine here. */
	size_t len = c->out_len + c->payload_len;
	struct mem_pkt *m = malloc(sizeof(*m) + len + 1);
	if (!m)
		return;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, c->out, c->out_len);
	if (c->payload_len)
		memcpy(m->data + c->out_len, c->payload, c->payload_len);
	pthread_mutex_lock(&sw->mem_lock);
	*p->tail = m;
	p->tail = &m->next;
	int fd = p->notify_fd;
	pthread_mutex_unlock(&sw->mem_lock);
	uint64_t one = 1;
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
		/* a full eventfd counter still wakes its reader */
	}
}

int sw_port_notify(struct sw_switch *sw, uint32_t port, int fd, struct p4l_err *err)
{
	struct sw_port *p = find_port(sw, port);
	if (!p || p->fd >= 0)
		return p4l_errf(err, -ENOENT, "port %u is not an in-memory port", port);
	pthread_mutex_lock(&sw->mem_lock);
	p->notify_fd = fd;
	pthread_mutex_unlock(&sw->mem_lock);
	return 0;
}

int sw_port_take(struct sw_switch *sw, uint32_t port, uint8_t **pkt)
{
	struct sw_port *p = find_port(sw, port);
	int len = -EAGAIN;
	*pkt = NULL;
	if (!p)
		return -ENOENT;
	pthread_mutex_lock(&sw->mem_lock);
	struct mem_pkt *m = p->head;
	if (m) {
		p->head = m->next;
		if (!p->head)
			p->tail = &p->head;
		len = (int)m->len;
		memmove(m, m->data, m->len);  /* hand out one block the caller frees */
		*pkt = (uint8_t *)m;
	}
	pthread_mutex_unlock(&sw->mem_lock);
	return len;
}

/* Sends what c holds on port: queued for an in-memory port, written whole
 * with vh in front on an interface.  -1 when it could not go. */
static int send_copy(struct sw_switch *sw, const struct sw_ctx *c, uint32_t port,
		     const struct virtio_net_hdr *vh)
{
	struct sw_port *p = find_port(sw, port);
	if (!p) {
		if (c->trace)
			fprintf(c->trace, "  port %u is not attached: dropped\n", port);
		return -1;
	}
	if (p->fd < 0) {
		mem_queue(sw, p, c);
		return 0;
	}
	struct iovec iov[3] = { { (void *)vh, VNET_LEN }, { c->out, c->out_len },
				{ (void *)c->payload, c->payload_len } };
	return writev(p->fd, iov, 3) < 0 ? -1 : 0;
}

/* sw_exec's copies before the last one (multicast, clones). */
static void emit_copy(struct sw_ctx *c, uint32_t port, void *arg)
{
	static const struct virtio_net_hdr none;
	struct sw_switch *sw = arg;
	(void)send_copy(sw, c, port, &none);
}

int sw_process(struct sw_switch *sw, uint32_t in_port, const uint8_t *pkt, size_t len)
{
	static const struct virtio_net_hdr vh;
	if (len > SW_MAX_PKT)
		return -1;
	sw->ctx.emit = emit_copy;
	sw->ctx.emit_arg = sw;
	/* Table entries a packet uses live until its critical section ends. */
	sw_rcu_read_lock();
	int port = sw_exec(&sw->ctx, in_port, pkt, len);
	sw_rcu_read_unlock();
	if (port < 0 || send_copy(sw, &sw->ctx, (uint32_t)port, &vh) < 0)
		return -1;
	return port;
}

struct sw_plan *sw_plan_of(const struct sw_switch *sw)
{
	return sw->plan;
}

bool sw_is_running(const struct sw_switch *sw)
{
	return sw->running;
}

/* ---- the dataplane thread ---------------------------------------------------- */

/* Receive buffers: [headroom][virtio_net_hdr][packet].  A packet leaves from
 * its own buffer: the deparsed headers and a new vnet header are written just
 * before the payload, so the payload (up to 64 KiB) is never copied. */
#define RX_SIZE (SW_HEADROOM + VNET_LEN + SW_MAX_PKT)

struct dp {
	struct sw_ctx ctx;
	struct sw_switch *sw;
	struct virtio_net_hdr vh;   /* of the packet being run, for its copies */
	uint8_t *rx[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll from[BATCH];
};

static void flush_tx(struct sw_switch *sw)
{
	for (size_t i = 0; i < sw->n_ports; i++) {
		struct sw_port *p = &sw->ports[i];
		unsigned done = 0;
		while (done < p->n_tx) {
			int n = sendmmsg(p->fd, p->tx + done, p->n_tx - done, 0);
			if (n <= 0)
				break;  /* full socket buffer or a down link: drop the rest */
			done += (unsigned)n;
		}
		p->n_tx = 0;
	}
}

/* Runs a batch received on port `in`, queueing the results per output port. */
static void run_batch(struct sw_switch *sw, struct dp *d, struct sw_port *in, int n)
{
	for (int i = 0; i < n; i++) {
		size_t got = d->msgs[i].msg_len;
		uint8_t *buf = d->rx[i], *pkt = buf + SW_HEADROOM + VNET_LEN;
		if (d->from[i].sll_pkttype == PACKET_OUTGOING || got < VNET_LEN ||
		    (d->msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
			continue;  /* our own, or too big to be whole: never send a cut packet */
		struct virtio_net_hdr vh;
		memcpy(&vh, buf + SW_HEADROOM, VNET_LEN);
		d->vh = vh;
		sw_rcu_read_lock();
		int port = sw_exec(&d->ctx, in->num, pkt, got - VNET_LEN);
		sw_rcu_read_unlock();
		if (port < 0)
			continue;
		struct sw_port *op = find_port(sw, (uint32_t)port);
		if (!op) {
			if (d->ctx.trace)
				fprintf(d->ctx.trace, "  port %d is not attached: dropped\n", port);
			continue;
		}
		if (op->fd < 0) {
			mem_queue(sw, op, &d->ctx);
			continue;
		}
		size_t hl = d->ctx.out_len, total = hl + d->ctx.payload_len;
		/* Headers the pipeline added or removed move the checksum start. */
		long delta = (long)total - (long)(got - VNET_LEN);
		if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			vh.csum_start = (uint16_t)(vh.csum_start + delta);
		uintptr_t pl = (uintptr_t)d->ctx.payload;
		uint8_t *start = (uint8_t *)d->ctx.payload - hl - VNET_LEN;
		/* The payload is in the receive buffer unless the packet was
		 * recirculated (then it is in the context's own buffer). */
		if (pl < (uintptr_t)pkt || pl > (uintptr_t)(pkt + got) || start < buf) {
			/* More new header bytes than headroom: send this one on its
			 * own, after what is already queued for the port (order kept). */
			struct iovec iov[3] = { { &vh, VNET_LEN }, { d->ctx.out, hl },
						{ (void *)d->ctx.payload, d->ctx.payload_len } };
			struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
			flush_tx(sw);
			(void)sendmsg(op->fd, &mh, 0);
			continue;
		}
		memcpy(start + VNET_LEN, d->ctx.out, hl);
		memcpy(start, &vh, VNET_LEN);
		unsigned k = op->n_tx++;
		op->txv[k] = (struct iovec){ start, VNET_LEN + total };
		op->tx[k].msg_hdr = (struct msghdr){ .msg_iov = &op->txv[k], .msg_iovlen = 1 };
	}
	flush_tx(sw);
}

/* Copies of a packet (multicast, clones) leave at once, whole, from the
 * context: the receive buffer stays intact for the copies after them. */
static void dp_emit(struct sw_ctx *c, uint32_t port, void *arg)
{
	struct dp *d = arg;
	struct virtio_net_hdr vh = d->vh;
	long delta = (long)(c->out_len + c->payload_len) - (long)c->len;
	if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		vh.csum_start = (uint16_t)(vh.csum_start + delta);
	flush_tx(d->sw);
	(void)send_copy(d->sw, c, port, &vh);
}

static void *dataplane(void *arg)
{
	struct sw_switch *sw = arg;
	struct dp *d = calloc(1, sizeof(*d));
	struct epoll_event ev[16];
	if (!d || sw_ctx_init(&d->ctx, sw->plan) < 0) {
		free(d);
		sw->thread_err = -ENOMEM;
		return NULL;
	}
	d->ctx.trace = sw->trace;
	d->ctx.emit = dp_emit;
	d->ctx.emit_arg = d;
	d->sw = sw;
	for (int i = 0; i < BATCH; i++)
		if (!(d->rx[i] = malloc(RX_SIZE)))
			goto out;
	for (;;) {
		int n = epoll_wait(sw->epoll_fd, ev, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (int e = 0; e < n; e++) {
			if (ev[e].data.u32 == UINT32_MAX)
				goto out;
			struct sw_port *p = &sw->ports[ev[e].data.u32];
			/* A few batches per wake-up, then let the other ports in. */
			for (int round = 0; round < 8; round++) {
				for (int i = 0; i < BATCH; i++) {
					d->iov[i] = (struct iovec){ d->rx[i] + SW_HEADROOM, VNET_LEN + SW_MAX_PKT };
					d->msgs[i].msg_hdr = (struct msghdr){ .msg_name = &d->from[i],
						.msg_namelen = sizeof(d->from[i]), .msg_iov = &d->iov[i],
						.msg_iovlen = 1 };
				}
				int got = recvmmsg(p->fd, d->msgs, BATCH, MSG_DONTWAIT, NULL);
				if (got <= 0)
					break;
				run_batch(sw, d, p, got);
				if (got < BATCH)
					break;
			}
		}
	}
out:
	for (int i = 0; i < BATCH; i++)
		free(d->rx[i]);
	sw_ctx_fini(&d->ctx);
	free(d);
	return NULL;
}

int sw_start(struct sw_switch *sw, struct p4l_err *err)
{
	if (sw->running)
		return p4l_errf(err, -EBUSY, "the switch is already running");
	sw->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	sw->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sw->epoll_fd < 0 || sw->stop_fd < 0)
		goto fail;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
	if (epoll_ctl(sw->epoll_fd, EPOLL_CTL_ADD, sw->stop_fd, &ev) < 0)
		goto fail;
	for (size_t i = 0; i < sw->n_ports; i++) {
		if (sw->ports[i].fd < 0)
			continue;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(sw->epoll_fd, EPOLL_CTL_ADD, sw->ports[i].fd, &ev) < 0)
			goto fail;
	}
	int r = pthread_create(&sw->thread, NULL, dataplane, sw);
	if (r) {
		errno = r;
		goto fail;
	}
	sw->running = true;
	return 0;
fail:
	r = p4l_errf(err, -errno, "starting the dataplane: %s", strerror(errno));
	if (sw->epoll_fd >= 0)
		close(sw->epoll_fd);
	if (sw->stop_fd >= 0)
		close(sw->stop_fd);
	sw->epoll_fd = sw->stop_fd = -1;
	return r;
}

void sw_stop(struct sw_switch *sw)
{
	if (!sw || !sw->running)
		return;
	uint64_t one = 1;
	while (write(sw->stop_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(sw->thread, NULL);
	close(sw->epoll_fd);
	close(sw->stop_fd);
	sw->epoll_fd = sw->stop_fd = -1;
	sw->running = false;
}

/* ---- program description and table writes ---------------------------------- */

size_t sw_table_count(const struct sw_switch *sw) { return sw->plan->n_tables; }
size_t sw_action_count(const struct sw_switch *sw) { return sw->plan->n_actions; }

const struct sw_table_info *sw_table_get(const struct sw_switch *sw, size_t idx)
{
	return idx < sw->plan->n_tables ? &sw->plan->tables[idx].info : NULL;
}

const struct sw_action_info *sw_action_get(const struct sw_switch *sw, size_t idx)
{
	return idx < sw->plan->n_actions ? &sw->plan->actions[idx].info : NULL;
}

size_t sw_table_entry_count(const struct sw_switch *sw, size_t table)
{
	return table < sw->plan->n_tables ? sw->plan->tables[table].n_entries : 0;
}

int sw_table_stats(const struct sw_switch *sw, size_t table, struct sw_table_stats *st)
{
	struct sw_engine_stats es;
	if (table >= sw->plan->n_tables)
		return -EINVAL;
	const struct sw_table *t = &sw->plan->tables[table];
	sw_tbl_stats(t, &es);
	*st = (struct sw_table_stats){ es.entries, es.slots_used, es.capacity, es.moves,
		es.expansions, es.fail_load, t->has_hit_index };
	return 0;
}

bool sw_name_matches(const char *full, const char *name)
{
	size_t fl = strlen(full), nl = strlen(name);
	if (fl == nl)
		return !strcmp(full, name);
	return fl > nl && full[fl - nl - 1] == '.' && !strcmp(full + fl - nl, name);
}

int sw_table_find(const struct sw_switch *sw, const char *name, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int found = -1, n = 0;
	for (size_t i = 0; i < p->n_tables; i++)
		if (!strcmp(p->tables[i].name, name))
			return (int)i;
	for (size_t i = 0; i < p->n_tables; i++)
		if (sw_name_matches(p->tables[i].name, name))
			found = (int)i, n++;
	if (n == 1)
		return found;
	if (n > 1)
		return p4l_errf(err, -EINVAL, "table name '%s' is ambiguous", name);
	return p4l_errf(err, -ENOENT, "no table named '%s'", name);
}

int sw_action_find(const struct sw_switch *sw, size_t table, const char *name,
		   struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	const struct sw_table *t = &p->tables[table];
	int found = -1, n = 0;
	for (size_t i = 0; i < t->n_actions; i++)
		if (!strcmp(p->actions[t->actions[i]].name, name))
			return (int)t->actions[i];
	for (size_t i = 0; i < t->n_actions; i++)
		if (sw_name_matches(p->actions[t->actions[i]].name, name))
			found = (int)t->actions[i], n++;
	if (n == 1)
		return found;
	if (n > 1)
		return p4l_errf(err, -EINVAL, "action name '%s' is ambiguous in table %s", name, t->name);
	return p4l_errf(err, -ENOENT, "table %s has no action named '%s'", t->name, name);
}

/* sw_fit_value, with a message naming what the value is for. */
static int put_value(uint8_t *dst, uint32_t nbytes, uint32_t width, const struct sw_bytes *v,
		     const char *what, struct p4l_err *err)
{
	if (sw_fit_value(dst, nbytes, width, v) < 0)
		return p4l_errf(err, -ERANGE, "%s: value does not fit in %u bits", what, width);
	return 0;
}

static int build_args(const struct sw_plan *p, uint32_t action, const struct sw_bytes *args,
		      uint8_t *out, struct p4l_err *err)
{
	const struct sw_action *a = &p->actions[action];
	for (size_t i = 0; i < a->n_params; i++) {
		char what[256];
		snprintf(what, sizeof(what), "action %s parameter %s", a->name, a->params[i].name);
		int r = put_value(out + a->params[i].off, (a->params[i].width + 7) / 8,
				  a->params[i].width, &args[i], what, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* An entry's key bytes from typed key fields; *prio gets the engine priority
 * (the prefix length in lpm tables, priority in ternary ones, else 0). */
static int build_key(const struct sw_table *t, const struct sw_key *keys, int32_t priority,
		     uint8_t *val, uint8_t *mask, int32_t *prio, struct p4l_err *err)
{
	int r = 0;
	*prio = t->kind == SW_MATCH_TERNARY ? priority : 0;
	memset(mask, 0xff, t->key_len);
	for (size_t i = 0; i < t->n_keys && !r; i++) {
		const struct sw_key_part *k = &t->keys[i];
		char what[300];
		snprintf(what, sizeof(what), "key %s", k->info.name);
		r = put_value(val + k->off, k->nbytes, k->f.width, &keys[i].value, what, err);
		if (r)
			break;
		if (k->info.kind == SW_MATCH_LPM) {
			if (keys[i].prefix_len > k->f.width)
				return p4l_errf(err, -ERANGE, "%s: prefix length %u is longer than %u bits",
						what, keys[i].prefix_len, k->f.width);
			sw_prefix_mask(mask + k->off, k->nbytes, k->f.width, keys[i].prefix_len);
			if (t->kind == SW_MATCH_LPM)
				*prio = (int32_t)keys[i].prefix_len;
		} else if (k->info.kind == SW_MATCH_TERNARY || k->info.kind == SW_MATCH_RANGE) {
			/* range: the mask bytes carry the high bound */
			r = put_value(mask + k->off, k->nbytes, k->f.width, &keys[i].mask, what, err);
		} else if (k->info.kind == SW_MATCH_OPTIONAL && keys[i].mask.len) {
			r = put_value(mask + k->off, k->nbytes, k->f.width, &keys[i].mask, what, err);
			for (uint32_t j = 0; j < k->nbytes && !r; j++)
				if (mask[k->off + j])
					r = p4l_errf(err, -EINVAL, "%s: an optional key's mask must be "
						     "empty (exact) or zero (wildcard)", what);
		}
	}
	return r;
}

/* Common checks and key building of add, modify and delete. */
static int prepare(struct sw_switch *sw, size_t table, size_t action, const struct sw_key *keys,
		   int32_t priority, uint8_t *val, uint8_t *mask, int32_t *prio, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	if (table >= p->n_tables || action >= p->n_actions)
		return p4l_errf(err, -EINVAL, "no such table or action");
	return build_key(&p->tables[table], keys, priority, val, mask, prio, err);
}

/* An entry write: sw_tbl_insert or sw_tbl_modify on the built key and args. */
typedef int (*entry_write_fn)(struct sw_plan *p, struct sw_table *t, const uint8_t *val,
			      const uint8_t *mask, int32_t prio, uint32_t action,
			      const uint8_t *args, struct p4l_err *err);

static int write_entry(struct sw_switch *sw, entry_write_fn write, size_t table,
		       const struct sw_key *keys, int32_t priority, size_t action,
		       const struct sw_bytes *args, struct p4l_err *err)
{
	struct sw_plan *p = sw->plan;
	uint8_t val[SW_MAX_KEY_BYTES], mask[SW_MAX_KEY_BYTES], *argb;
	int32_t prio;
	int r = prepare(sw, table, action, keys, priority, val, mask, &prio, err);
	if (r)
		return r;
	if (!(argb = calloc(1, p->actions[action].args_len + 1)))
		return p4l_errf(err, -ENOMEM, "out of memory");
	r = build_args(p, (uint32_t)action, args, argb, err);
	if (!r)
		r = write(p, &p->tables[table], val, mask, prio, (uint32_t)action, argb, err);
	free(argb);
	return r;
}

int sw_table_add(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		 int32_t priority, size_t action, const struct sw_bytes *args,
		 struct p4l_err *err)
{
	return write_entry(sw, sw_tbl_insert, table, keys, priority, action, args, err);
}

int sw_table_modify(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		    int32_t priority, size_t action, const struct sw_bytes *args,
		    struct p4l_err *err)
{
	return write_entry(sw, sw_tbl_modify, table, keys, priority, action, args, err);
}

int sw_table_delete(struct sw_switch *sw, size_t table, const struct sw_key *keys,
		    int32_t priority, struct p4l_err *err)
{
	uint8_t val[SW_MAX_KEY_BYTES], mask[SW_MAX_KEY_BYTES];
	int32_t prio;
	int r = prepare(sw, table, 0, keys, priority, val, mask, &prio, err);
	return r ? r : sw_tbl_delete(sw->plan, &sw->plan->tables[table], val, mask, prio, err);
}

int sw_table_hit_indexes(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, uint32_t *out, size_t cap, size_t *n,
			 struct p4l_err *err)
{
	uint8_t val[SW_MAX_KEY_BYTES], mask[SW_MAX_KEY_BYTES];
	int32_t prio;
	int r = prepare(sw, table, 0, keys, priority, val, mask, &prio, err);
	return r ? r : sw_tbl_slots(sw->plan, &sw->plan->tables[table], val, mask, prio, out, cap,
				     n, err);
}

int sw_table_read(const struct sw_switch *sw, size_t table,
		  int (*fn)(const struct sw_entry_view *e, void *ctx), void *ctx)
{
	const struct sw_plan *p = sw->plan;
	if (table >= p->n_tables)
		return -EINVAL;
	const struct sw_table *t = &p->tables[table];
	for (const struct sw_entry *e = t->all; e; e = e->next_all) {
		struct sw_entry_view v = { e->key, e->key + t->key_len, t->key_len,
			t->kind == SW_MATCH_TERNARY ? e->priority : 0, e->action, e->args,
			p->actions[e->action].args_len, e->packets, e->bytes };
		int r = fn(&v, ctx);
		if (r)
			return r;
	}
	return 0;
}

/* An entry's key bytes normalised as table.c keeps them (v, m) and its
 * engine priority. */
static int ident(const struct sw_plan *p, const struct sw_table *t, const struct sw_key *keys,
		 int32_t priority, uint8_t *v, uint8_t *m, int32_t *prio, struct p4l_err *err)
{
	int r = build_key(t, keys, priority, v, m, prio, err);
	if (r)
		return r;
	if (t->kind == SW_MATCH_EXACT)
		memset(m, 0xff, t->key_len);
	for (size_t i = 0; i < t->n_keys; i++) {
		const struct sw_key_part *k = &t->keys[i];
		if (k->info.kind == SW_MATCH_RANGE)
			continue;
		for (uint32_t j = 0; j < k->nbytes; j++) {
			if (k->mask != SW_NONE)
				m[k->off + j] &= p->pool[k->mask + j];
			v[k->off + j] &= m[k->off + j];
		}
	}
	return 0;
}

int sw_table_ident(const struct sw_switch *sw, size_t table, const struct sw_key *keys,
		   int32_t priority, uint8_t *out, size_t cap, size_t *len, int32_t *view_prio,
		   struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int32_t prio;
	if (table >= p->n_tables)
		return p4l_errf(err, -EINVAL, "no such table");
	const struct sw_table *t = &p->tables[table];
	if (cap < 2 * (size_t)t->key_len)
		return p4l_errf(err, -ERANGE, "table %s: %u key bytes", t->name, 2 * t->key_len);
	int r = ident(p, t, keys, priority, out, out + t->key_len, &prio, err);
	if (r)
		return r;
	*len = 2 * (size_t)t->key_len;
	*view_prio = t->kind == SW_MATCH_TERNARY ? prio : 0;
	return 0;
}

int sw_table_track_hits(struct sw_switch *sw, size_t table, bool on)
{
	if (table >= sw->plan->n_tables)
		return -EINVAL;
	sw->plan->tables[table].track_hits = on;
	return 0;
}

int sw_table_take_hits(struct sw_switch *sw, size_t table,
		       int (*fn)(const struct sw_entry_view *e, void *ctx), void *ctx)
{
	const struct sw_plan *p = sw->plan;
	if (table >= p->n_tables)
		return -EINVAL;
	const struct sw_table *t = &p->tables[table];
	for (struct sw_entry *e = t->all; e; e = e->next_all) {
		if (!__atomic_load_n(&e->hit, __ATOMIC_RELAXED) ||
		    !__atomic_exchange_n(&e->hit, 0, __ATOMIC_RELAXED))
			continue;
		struct sw_entry_view v = { e->key, e->key + t->key_len, t->key_len,
			t->kind == SW_MATCH_TERNARY ? e->priority : 0, e->action, e->args,
			p->actions[e->action].args_len, e->packets, e->bytes };
		int r = fn(&v, ctx);
		if (r)
			return r;
	}
	return 0;
}

/* The entry with these keys, by a walk over the table's entries, or NULL
 * with err set. */
static struct sw_entry *find_entry(const struct sw_switch *sw, size_t table,
				   const struct sw_key *keys, int32_t priority, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	uint8_t v[SW_MAX_KEY_BYTES], m[SW_MAX_KEY_BYTES];
	int32_t prio;
	if (table >= p->n_tables) {
		p4l_errf(err, -EINVAL, "no such table");
		return NULL;
	}
	const struct sw_table *t = &p->tables[table];
	if (ident(p, t, keys, priority, v, m, &prio, err))
		return NULL;
	for (struct sw_entry *e = t->all; e; e = e->next_all)
		if (e->priority == prio && !memcmp(e->key, v, t->key_len) &&
		    !memcmp(e->key + t->key_len, m, t->key_len))
			return e;
	p4l_errf(err, -ENOENT, "table %s has no entry with that key", t->name);
	return NULL;
}

int sw_table_entry_state(const struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, struct sw_entry_state *out, struct p4l_err *err)
{
	const struct sw_entry *e = find_entry(sw, table, keys, priority, err);
	if (!e)
		return err ? err->code : -ENOENT;
	const struct sw_meter_rate *mr = sw_meter_rates_of(&e->meter);
	*out = (struct sw_entry_state){ e->packets, e->bytes, mr->gen != 0, mr->cir, mr->cbs,
					mr->pir, mr->pbs, { { 0 }, { 0 } } };
	memcpy(out->colors.packets, e->meter.packets, sizeof(out->colors.packets));
	memcpy(out->colors.bytes, e->meter.bytes, sizeof(out->colors.bytes));
	return 0;
}

int sw_table_meter_counts_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			      int32_t priority, const struct sw_meter_counts *c,
			      struct p4l_err *err)
{
	struct sw_entry *e = find_entry(sw, table, keys, priority, err);
	if (!e)
		return err ? err->code : -ENOENT;
	if (!sw->plan->tables[table].metered)
		return p4l_errf(err, -EINVAL, "table %s has no direct meter",
				sw->plan->tables[table].name);
	memcpy(e->meter.packets, c->packets, sizeof(e->meter.packets));
	memcpy(e->meter.bytes, c->bytes, sizeof(e->meter.bytes));
	return 0;
}

int sw_table_counter_set(struct sw_switch *sw, size_t table, const struct sw_key *keys,
			 int32_t priority, uint64_t packets, uint64_t bytes, struct p4l_err *err)
{
	struct sw_entry *e = find_entry(sw, table, keys, priority, err);
	if (!e)
		return err ? err->code : -ENOENT;
	if (!sw->plan->tables[table].counted)
		return p4l_errf(err, -EINVAL, "table %s has no direct counter",
				sw->plan->tables[table].name);
	e->packets = packets;
	e->bytes = bytes;
	return 0;
}

int sw_table_set_default(struct sw_switch *sw, size_t table, size_t action,
			 const struct sw_bytes *args, struct p4l_err *err)
{
	struct sw_plan *p = sw->plan;
	if (table >= p->n_tables || action >= p->n_actions)
		return p4l_errf(err, -EINVAL, "no such table or action");
	uint8_t *argb = calloc(1, p->actions[action].args_len + 1);
	if (!argb)
		return p4l_errf(err, -ENOMEM, "out of memory");
	int r = build_args(p, (uint32_t)action, args, argb, err);
	if (!r)
		r = sw_tbl_set_default(p, &p->tables[table], (uint32_t)action, argb, err);
	free(argb);
	return r;
}

/* ---- counters and registers ------------------------------------------------- */

enum { ST_COUNTER, ST_REGISTER, ST_METER };
static const char *const stateful_kind[] = { "counter", "register", "meter" };

/* i itself when its array has a cell at index, else -ERANGE with a message. */
static int check_cell(const struct sw_plan *p, int kind, int i, const char *name,
		      uint32_t index, struct p4l_err *err)
{
	uint32_t size = kind == ST_REGISTER ? p->registers[i].size :
			kind == ST_METER ? p->meters[i].size : p->counters[i].size;
	if (index >= size)
		return p4l_errf(err, -ERANGE, "%s %s has %u cells, not %u", stateful_kind[kind], name, size,
				index + 1);
	return i;
}

/* Index of the counter, register or meter named name (full or unambiguous
 * suffix) whose array has a cell at index. */
static int find_cell(const struct sw_plan *p, int kind, const char *name, uint32_t index,
		     struct p4l_err *err)
{
	size_t n = kind == ST_REGISTER ? p->n_registers : kind == ST_METER ? p->n_meters : p->n_counters;
	int found = -1, count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *full = kind == ST_REGISTER ? p->registers[i].name :
				   kind == ST_METER ? p->meters[i].name : p->counters[i].name;
		if (!strcmp(full, name))
			return check_cell(p, kind, (int)i, name, index, err);
		if (sw_name_matches(full, name))
			found = (int)i, count++;
	}
	if (count > 1)
		return p4l_errf(err, -EINVAL, "%s name '%s' is ambiguous", stateful_kind[kind], name);
	if (count == 0)
		return p4l_errf(err, -ENOENT, "no %s named '%s'", stateful_kind[kind], name);
	return check_cell(p, kind, found, name, index, err);
}

int sw_counter_read(const struct sw_switch *sw, const char *name, uint32_t index,
		    uint64_t *packets, uint64_t *bytes, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_COUNTER, name, index, err);
	if (i < 0)
		return i;
	*packets = p->counters[i].packets[index];
	*bytes = p->counters[i].bytes[index];
	return 0;
}

int sw_counter_write(struct sw_switch *sw, const char *name, uint32_t index, uint64_t packets,
		     uint64_t bytes, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_COUNTER, name, index, err);
	if (i < 0)
		return i;
	p->counters[i].packets[index] = packets;
	p->counters[i].bytes[index] = bytes;
	return 0;
}

int sw_register_read(const struct sw_switch *sw, const char *name, uint32_t index,
		     uint64_t *value, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_REGISTER, name, index, err);
	if (i < 0)
		return i;
	*value = p->registers[i].cells[index];
	return 0;
}

int sw_meter_get(const struct sw_switch *sw, const char *name, uint32_t index,
		 struct sw_meter_rates *out, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_METER, name, index, err);
	if (i < 0)
		return i;
	const struct sw_meter_cell *mc = &p->meters[i].cells[index];
	const struct sw_meter_rate *mr = sw_meter_rates_of(mc);
	*out = (struct sw_meter_rates){ mr->gen != 0, mr->cir, mr->cbs, mr->pir, mr->pbs,
					{ { 0 }, { 0 } } };
	memcpy(out->colors.packets, mc->packets, sizeof(out->colors.packets));
	memcpy(out->colors.bytes, mc->bytes, sizeof(out->colors.bytes));
	return 0;
}

int sw_meter_counts_set(struct sw_switch *sw, const char *name, uint32_t index,
			const struct sw_meter_counts *c, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_METER, name, index, err);
	if (i < 0)
		return i;
	struct sw_meter_cell *mc = &p->meters[i].cells[index];
	memcpy(mc->packets, c->packets, sizeof(mc->packets));
	memcpy(mc->bytes, c->bytes, sizeof(mc->bytes));
	return 0;
}

int sw_meter_set(struct sw_switch *sw, const char *name, uint32_t index, double cir,
		 double cburst, double pir, double pburst, struct p4l_err *err)
{
	const struct sw_plan *p = sw->plan;
	int i = find_cell(p, ST_METER, name, index, err);
	if (i < 0)
		return i;
	if (!(cir >= 0 && pir >= cir && cburst >= 0 && pburst >= 0))
		return p4l_errf(err, -EINVAL, "meter %s: rates and bursts must be >= 0, and the peak "
				"rate at least the committed one", name);
	sw_meter_cell_set(sw, &p->meters[i].cells[index], cir, cburst, pir, pburst);
	return 0;
}

void sw_meter_cell_set(struct sw_switch *sw, struct sw_meter_cell *mc, double cir, double cbs,
		       double pir, double pbs)
{
	static uint32_t gens;   /* shared by every switch of the process */
	uint32_t gen = __atomic_add_fetch(&gens, 1, __ATOMIC_RELAXED);
	if (!gen)
		gen = __atomic_add_fetch(&gens, 1, __ATOMIC_RELAXED);
	uint32_t cur = mc->cur;    /* the writer is the only one to change it */
	mc->rate[(cur ^ 1) & 1] = (struct sw_meter_rate){ gen, cir, pir, cbs, pbs };
	__atomic_store_n(&mc->cur, cur ^ 1, __ATOMIC_RELEASE);
	/* packets that read the old buffer are gone before it is written again */
	if (sw->running)
		sw_rcu_flush();
}
