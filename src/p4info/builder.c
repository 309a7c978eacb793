/* builder.c - an arena-backed P4Info builder.
 *
 * protobuf-c leaves every repeated field's array and every submessage to the
 * caller.  The builder puts all of them, and all strings, in one arena freed
 * at once, and offers one adder per kind of P4Info object so the compiler's
 * P4Info generator reads as a list of facts.  See p4info.h. */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "p4info.h"

#define CHUNK_SIZE 16384
#define ALIGN alignof(max_align_t)

struct chunk {
	struct chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct p4i_builder {
	struct chunk *chunks;
	P4__Config__V1__P4Info *p4info;
};

void *p4i_alloc(struct p4i_builder *b, size_t size)
{
	size = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (size == 0)
		size = ALIGN;
	struct chunk *c = b->chunks;
	if (!c || c->size - c->used < size) {
		size_t cs = size > CHUNK_SIZE ? size : CHUNK_SIZE;
		struct chunk *n = malloc(sizeof *n + cs);
		if (!n)
			return NULL;
		n->used = 0;
		n->size = cs;
		/* A big one-off block goes behind the current chunk, which keeps
		 * its free space for the small allocations that follow. */
		if (c && cs > CHUNK_SIZE) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			b->chunks = n;
		}
		c = n;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *p4i_strdup(struct p4i_builder *b, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = p4i_alloc(b, n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Arrays grown only through here hold n elements in room for cap(n):
 * 4 up to 4 elements, then the next power of two; so room runs out exactly
 * when n is 0, 4, 8, 16, ... and no capacity needs storing. */
void *p4i_grow(struct p4i_builder *b, void *arr, size_t n, size_t elem_size)
{
	if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
		return arr;
	size_t cap = n == 0 ? 4 : 2 * n;
	if (elem_size && cap > SIZE_MAX / elem_size)
		return NULL;
	void *na = p4i_alloc(b, cap * elem_size);
	if (na && n)
		memcpy(na, arr, n * elem_size);
	return na;
}

struct p4i_builder *p4i_builder_new(void)
{
	struct p4i_builder *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->p4info = p4i_alloc(b, sizeof *b->p4info);
	if (!b->p4info) {
		free(b);
		return NULL;
	}
	p4__config__v1__p4_info__init(b->p4info);
	return b;
}

void p4i_builder_free(struct p4i_builder *b)
{
	if (!b)
		return;
	for (struct chunk *c = b->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(b);
}

P4__Config__V1__P4Info *p4i_builder_p4info(struct p4i_builder *b)
{
	return b->p4info;
}

/* Allocates and initialises one message of type T (init is its __init). */
#define NEW(b, T, init) ({                      \
	T *new_ = p4i_alloc((b), sizeof(T));    \
	if (new_)                               \
		init(new_);                     \
	new_;                                   \
})

/* p4i_strdup, but an absent string stays protobuf-c's empty string. */
static char *str_or_empty(struct p4i_builder *b, const char *s, int *oom)
{
	if (!s)
		return (char *)protobuf_c_empty_string;
	char *d = p4i_strdup(b, s);
	if (!d) {
		*oom = 1;
		return (char *)protobuf_c_empty_string;
	}
	return d;
}

int p4i_set_pkg_info(struct p4i_builder *b, const char *name, const char *arch)
{
	int oom = 0;
	P4__Config__V1__PkgInfo *pi = b->p4info->pkg_info;
	if (!pi) {
		pi = NEW(b, P4__Config__V1__PkgInfo, p4__config__v1__pkg_info__init);
		if (!pi)
			return -ENOMEM;
		b->p4info->pkg_info = pi;
	}
	if (name)
		pi->name = str_or_empty(b, name, &oom);
	if (arch)
		pi->arch = str_or_empty(b, arch, &oom);
	return oom ? -ENOMEM : 0;
}

P4__Config__V1__Preamble *p4i_preamble(struct p4i_builder *b, uint32_t id,
				       const char *name, const char *alias)
{
	int oom = 0;
	P4__Config__V1__Preamble *p = NEW(b, P4__Config__V1__Preamble,
					  p4__config__v1__preamble__init);
	if (!p)
		return NULL;
	p->id = id;
	p->name = str_or_empty(b, name, &oom);
	p->alias = alias ? str_or_empty(b, alias, &oom) : p->name;
	return oom ? NULL : p;
}

int p4i_preamble_annotate(struct p4i_builder *b, P4__Config__V1__Preamble *pre,
			  const char *annotation)
{
	char *s = p4i_strdup(b, annotation);
	if (!s)
		return -ENOMEM;
	return P4I_APPEND(b, pre->annotations, pre->n_annotations, s);
}

/* The common shape of every adder: a new message with a preamble, appended
 * to a repeated field of the P4Info. */
#define ADD_TOP(b, T, init, field, id, name, alias) ({                          \
	T *obj_ = NEW(b, T, init);                                              \
	if (obj_) {                                                             \
		obj_->preamble = p4i_preamble((b), (id), (name), (alias));       \
		if (!obj_->preamble ||                                          \
		    P4I_APPEND((b), (b)->p4info->field, (b)->p4info->n_##field, obj_) < 0) \
			obj_ = NULL;                                            \
	}                                                                       \
	obj_;                                                                   \
})

P4__Config__V1__Table *p4i_add_table(struct p4i_builder *b, uint32_t id,
				     const char *name, const char *alias,
				     int64_t size)
{
	P4__Config__V1__Table *t = ADD_TOP(b, P4__Config__V1__Table,
					   p4__config__v1__table__init, tables, id, name, alias);
	if (t)
		t->size = size;
	return t;
}

P4__Config__V1__MatchField *p4i_table_add_match(struct p4i_builder *b,
						P4__Config__V1__Table *t,
						uint32_t id, const char *name,
						int32_t bitwidth,
						P4__Config__V1__MatchField__MatchType match_type)
{
	int oom = 0;
	P4__Config__V1__MatchField *m = NEW(b, P4__Config__V1__MatchField,
					    p4__config__v1__match_field__init);
	if (!m)
		return NULL;
	m->id = id;
	m->name = str_or_empty(b, name, &oom);
	m->bitwidth = bitwidth;
	m->match_case = P4__CONFIG__V1__MATCH_FIELD__MATCH_MATCH_TYPE;
	m->match_type = match_type;
	if (oom || P4I_APPEND(b, t->match_fields, t->n_match_fields, m) < 0)
		return NULL;
	return m;
}

P4__Config__V1__ActionRef *p4i_table_add_action_ref(struct p4i_builder *b,
						    P4__Config__V1__Table *t,
						    uint32_t action_id,
						    P4__Config__V1__ActionRef__Scope scope)
{
	P4__Config__V1__ActionRef *r = NEW(b, P4__Config__V1__ActionRef,
					   p4__config__v1__action_ref__init);
	if (!r)
		return NULL;
	r->id = action_id;
	r->scope = scope;
	if (P4I_APPEND(b, t->action_refs, t->n_action_refs, r) < 0)
		return NULL;
	return r;
}

int p4i_table_add_direct_resource(struct p4i_builder *b, P4__Config__V1__Table *t,
				  uint32_t resource_id)
{
	return P4I_APPEND(b, t->direct_resource_ids, t->n_direct_resource_ids, resource_id);
}

P4__Config__V1__Action *p4i_add_action(struct p4i_builder *b, uint32_t id,
				       const char *name, const char *alias)
{
	return ADD_TOP(b, P4__Config__V1__Action, p4__config__v1__action__init,
		       actions, id, name, alias);
}

P4__Config__V1__Action__Param *p4i_action_add_param(struct p4i_builder *b,
						    P4__Config__V1__Action *a,
						    uint32_t id, const char *name,
						    int32_t bitwidth)
{
	int oom = 0;
	P4__Config__V1__Action__Param *p = NEW(b, P4__Config__V1__Action__Param,
					       p4__config__v1__action__param__init);
	if (!p)
		return NULL;
	p->id = id;
	p->name = str_or_empty(b, name, &oom);
	p->bitwidth = bitwidth;
	if (oom || P4I_APPEND(b, a->params, a->n_params, p) < 0)
		return NULL;
	return p;
}

P4__Config__V1__ControllerPacketMetadata *
p4i_add_controller_packet_metadata(struct p4i_builder *b, uint32_t id,
				   const char *name, const char *alias)
{
	return ADD_TOP(b, P4__Config__V1__ControllerPacketMetadata,
		       p4__config__v1__controller_packet_metadata__init,
		       controller_packet_metadata, id, name, alias);
}

P4__Config__V1__ControllerPacketMetadata__Metadata *
p4i_cpm_add_metadata(struct p4i_builder *b,
		     P4__Config__V1__ControllerPacketMetadata *cpm, uint32_t id,
		     const char *name, int32_t bitwidth)
{
	int oom = 0;
	P4__Config__V1__ControllerPacketMetadata__Metadata *m =
		NEW(b, P4__Config__V1__ControllerPacketMetadata__Metadata,
		    p4__config__v1__controller_packet_metadata__metadata__init);
	if (!m)
		return NULL;
	m->id = id;
	m->name = str_or_empty(b, name, &oom);
	m->bitwidth = bitwidth;
	if (oom || P4I_APPEND(b, cpm->metadata, cpm->n_metadata, m) < 0)
		return NULL;
	return m;
}

static P4__Config__V1__CounterSpec *counter_spec(struct p4i_builder *b,
						 P4__Config__V1__CounterSpec__Unit unit)
{
	P4__Config__V1__CounterSpec *s = NEW(b, P4__Config__V1__CounterSpec,
					     p4__config__v1__counter_spec__init);
	if (s)
		s->unit = unit;
	return s;
}

static P4__Config__V1__MeterSpec *meter_spec(struct p4i_builder *b,
					     P4__Config__V1__MeterSpec__Unit unit)
{
	P4__Config__V1__MeterSpec *s = NEW(b, P4__Config__V1__MeterSpec,
					   p4__config__v1__meter_spec__init);
	if (s)
		s->unit = unit;
	return s;
}

P4__Config__V1__Counter *p4i_add_counter(struct p4i_builder *b, uint32_t id,
					 const char *name, const char *alias,
					 P4__Config__V1__CounterSpec__Unit unit,
					 int64_t size)
{
	P4__Config__V1__Counter *c = ADD_TOP(b, P4__Config__V1__Counter,
					     p4__config__v1__counter__init, counters,
					     id, name, alias);
	if (!c || !(c->spec = counter_spec(b, unit)))
		return NULL;
	c->size = size;
	return c;
}

P4__Config__V1__DirectCounter *p4i_add_direct_counter(struct p4i_builder *b,
						      uint32_t id, const char *name,
						      const char *alias,
						      P4__Config__V1__CounterSpec__Unit unit,
						      uint32_t table_id)
{
	P4__Config__V1__DirectCounter *c = ADD_TOP(b, P4__Config__V1__DirectCounter,
						   p4__config__v1__direct_counter__init,
						   direct_counters, id, name, alias);
	if (!c || !(c->spec = counter_spec(b, unit)))
		return NULL;
	c->direct_table_id = table_id;
	return c;
}

P4__Config__V1__Meter *p4i_add_meter(struct p4i_builder *b, uint32_t id,
				     const char *name, const char *alias,
				     P4__Config__V1__MeterSpec__Unit unit,
				     int64_t size)
{
	P4__Config__V1__Meter *m = ADD_TOP(b, P4__Config__V1__Meter,
					   p4__config__v1__meter__init, meters,
					   id, name, alias);
	if (!m || !(m->spec = meter_spec(b, unit)))
		return NULL;
	m->size = size;
	return m;
}

P4__Config__V1__DirectMeter *p4i_add_direct_meter(struct p4i_builder *b,
						  uint32_t id, const char *name,
						  const char *alias,
						  P4__Config__V1__MeterSpec__Unit unit,
						  uint32_t table_id)
{
	P4__Config__V1__DirectMeter *m = ADD_TOP(b, P4__Config__V1__DirectMeter,
						 p4__config__v1__direct_meter__init,
						 direct_meters, id, name, alias);
	if (!m || !(m->spec = meter_spec(b, unit)))
		return NULL;
	m->direct_table_id = table_id;
	return m;
}

P4__Config__V1__Register *p4i_add_register(struct p4i_builder *b, uint32_t id,
					   const char *name, const char *alias,
					   int32_t size, int32_t bitwidth)
{
	P4__Config__V1__Register *r = ADD_TOP(b, P4__Config__V1__Register,
					      p4__config__v1__register__init, registers,
					      id, name, alias);
	if (!r)
		return NULL;
	r->size = size;
	P4__Config__V1__P4DataTypeSpec *ts = NEW(b, P4__Config__V1__P4DataTypeSpec,
						 p4__config__v1__p4_data_type_spec__init);
	P4__Config__V1__P4BitstringLikeTypeSpec *bs =
		NEW(b, P4__Config__V1__P4BitstringLikeTypeSpec,
		    p4__config__v1__p4_bitstring_like_type_spec__init);
	P4__Config__V1__P4BitTypeSpec *bit = NEW(b, P4__Config__V1__P4BitTypeSpec,
						 p4__config__v1__p4_bit_type_spec__init);
	if (!ts || !bs || !bit)
		return NULL;
	bit->bitwidth = bitwidth;
	bs->type_spec_case = P4__CONFIG__V1__P4_BITSTRING_LIKE_TYPE_SPEC__TYPE_SPEC_BIT;
	bs->bit = bit;
	ts->type_spec_case = P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BITSTRING;
	ts->bitstring = bs;
	r->type_spec = ts;
	return r;
}

int p4i_builder_pack(struct p4i_builder *b, uint8_t **bin, size_t *bin_len,
		     struct p4l_err *err)
{
	size_t n = p4__config__v1__p4_info__get_packed_size(b->p4info);
	uint8_t *buf = malloc(n ? n : 1);
	*bin = NULL;
	*bin_len = 0;
	if (!buf)
		return p4l_errf(err, -ENOMEM, "P4Info: out of memory packing %zu bytes", n);
	p4__config__v1__p4_info__pack(b->p4info, buf);
	*bin = buf;
	*bin_len = n;
	return 0;
}

int p4i_builder_text(struct p4i_builder *b, char **txt, size_t *txt_len,
		     struct p4l_err *err)
{
	return p4i_text_print(&b->p4info->base, txt, txt_len, err);
}
