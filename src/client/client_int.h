/* client_int.h - the client struct, shared by client.c and byname.c. */
#ifndef P4RT_CLIENT_INT_H
#define P4RT_CLIENT_INT_H

#include "p4rt_client.h"
#include "transport.h"

struct ev {
	struct ev *next;
	struct p4rt_event e;
};

struct p4rt_client {
	struct p4rtc_chan *ch;
	uint64_t device_id;
	bool has_eid, primary, stream_closed, closed_told;
	uint64_t eid_hi, eid_lo;
	char *role;
	struct ev *events, **ev_tail;
	P4__Config__V1__P4Info *p4info, *saved_p4info;
	struct p4rt_update_error *uerr;
	size_t n_uerr;
};

/* A table of the client's P4Info by name (full, alias or unambiguous
 * suffix), for entries.c. */
int p4rt__find_table(const struct p4rt_client *c, const char *name,
		     const P4__Config__V1__Table **out, struct p4l_err *err);

#endif
