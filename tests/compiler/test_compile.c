/* test_compile.c - compiles the example and the feature programs and checks
 * what came out: the BMv2 JSON structurally (jansson) and the P4Info by
 * unpacking the binary (names, ids, widths, match types, const tables). */
#include <jansson.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p4c.h"
#include "p4info.h"

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;
	if (ok)
		return;
	failures++;
	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static json_t *by_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "name")) ?: "", name))
			return v;
	return NULL;
}

static const char *str_at(json_t *j, const char *path)
{
	/* path: keys and [n] indices separated by '.', e.g. "key.0.name" */
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && j; t = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(t, NULL, 10)) : json_object_get(j, t);
	return j && json_is_string(j) ? json_string_value(j) : NULL;
}

static long int_at(json_t *j, const char *path)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && j; t = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(t, NULL, 10)) : json_object_get(j, t);
	return j && json_is_integer(j) ? (long)json_integer_value(j) : -1;
}

static int streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static long action_id(json_t *root, const char *name)
{
	json_t *a = by_name(json_object_get(root, "actions"), name);
	return a ? (long)json_integer_value(json_object_get(a, "id")) : -2;
}

static P4__Config__V1__Table *p4i_table(P4__Config__V1__P4Info *pi, const char *name)
{
	for (size_t i = 0; i < pi->n_tables; i++)
		if (!strcmp(pi->tables[i]->preamble->name, name))
			return pi->tables[i];
	return NULL;
}

static P4__Config__V1__Action *p4i_action(P4__Config__V1__P4Info *pi, const char *name)
{
	for (size_t i = 0; i < pi->n_actions; i++)
		if (!strcmp(pi->actions[i]->preamble->name, name))
			return pi->actions[i];
	return NULL;
}

static int compile(const char *path, json_t **root, P4__Config__V1__P4Info **pi,
		   struct p4c_output *out)
{
	json_error_t je;
	if (p4c_compile_file(path, NULL, out, stdout)) {
		check(0, "%s does not compile", path);
		return -1;
	}
	check(strlen(out->bmv2_json) == out->bmv2_json_len, "json length");
	*root = json_loads(out->bmv2_json, 0, &je);
	check(*root != NULL, "%s: JSON does not parse: %s", path, je.text);
	*pi = p4__config__v1__p4_info__unpack(NULL, out->p4info_bin_len, out->p4info_bin);
	check(*pi != NULL, "%s: P4Info does not unpack", path);
	return *root && *pi ? 0 : -1;
}

static void quickstart(const char *dir)
{
	char path[512];
	json_t *r;
	P4__Config__V1__P4Info *pi;
	struct p4c_output out;
	snprintf(path, sizeof(path), "%s/examples/quickstart/quickstart.p4", dir);
	if (compile(path, &r, &pi, &out))
		return;

	check(int_at(r, "__meta__.version.0") == 2 && int_at(r, "__meta__.version.1") == 23,
	      "__meta__.version");
	check(streq(str_at(r, "__meta__.compiler"), "p4lab"), "__meta__.compiler");
	json_t *eth = by_name(json_object_get(r, "header_types"), "ethernet_t");
	check(eth && json_array_size(json_object_get(eth, "fields")) == 3, "ethernet_t fields");
	check(streq(str_at(eth, "fields.2.0"), "ether_type") && int_at(eth, "fields.2.1") == 16,
	      "ethernet_t.ether_type is 16 bits");
	json_t *hs = json_object_get(r, "headers");
	check(by_name(hs, "ipv4") && json_is_false(json_object_get(by_name(hs, "ipv4"), "metadata")),
	      "ipv4 header instance");
	check(json_is_true(json_object_get(by_name(hs, "standard_metadata"), "metadata")),
	      "standard_metadata is metadata");

	json_t *prs = by_name(json_object_get(r, "parsers"), "parser");
	check(prs && streq(str_at(prs, "init_state"), "start"), "parser/init_state");
	json_t *start = by_name(json_object_get(prs, "parse_states"), "start");
	check(streq(str_at(start, "parser_ops.0.op"), "extract") &&
	      streq(str_at(start, "parser_ops.0.parameters.0.value"), "ethernet"), "extract ethernet");
	check(streq(str_at(start, "transition_key.0.value.1"), "ether_type"), "transition key");
	check(streq(str_at(start, "transitions.0.value"), "0x0800") &&
	      streq(str_at(start, "transitions.0.next_state"), "parse_ipv4"), "0x0800 -> parse_ipv4");
	check(streq(str_at(start, "transitions.1.type"), "default") &&
	      json_is_null(json_object_get(json_array_get(json_object_get(start, "transitions"), 1),
					   "next_state")), "default -> accept (null)");

	json_t *ing = by_name(json_object_get(r, "pipelines"), "ingress");
	check(ing && by_name(json_object_get(r, "pipelines"), "egress"), "two pipelines");
	json_t *t = by_name(json_object_get(ing, "tables"), "QsIngress.ipv4_routes");
	check(t != NULL, "table QsIngress.ipv4_routes");
	check(streq(str_at(t, "key.0.name"), "hdr.ipv4.dst") &&
	      streq(str_at(t, "key.0.match_type"), "lpm") &&
	      streq(str_at(t, "key.0.target.0"), "ipv4"), "ipv4_routes key");
	check(streq(str_at(t, "match_type"), "lpm") && int_at(t, "max_size") == 1024, "lpm, 1024");
	check(int_at(t, "default_entry.action_id") == action_id(r, "QsIngress.drop"),
	      "default action drop");
	json_t *fwd = by_name(json_object_get(r, "actions"), "QsIngress.forward");
	check(streq(str_at(fwd, "runtime_data.0.name"), "next_hop_mac") &&
	      int_at(fwd, "runtime_data.0.bitwidth") == 48 &&
	      int_at(fwd, "runtime_data.1.bitwidth") == 9, "forward's runtime data");
	check(streq(str_at(fwd, "primitives.0.op"), "assign") &&
	      streq(str_at(fwd, "primitives.0.parameters.1.type"), "runtime_data"), "forward body");
	check(json_array_size(json_object_get(r, "checksums")) == 2, "two checksums");
	check(streq(str_at(r, "calculations.0.algo"), "csum16") &&
	      json_array_size(json_object_get(json_array_get(json_object_get(r, "calculations"), 0),
					      "input")) == 11, "csum16 over 11 fields");
	check(streq(str_at(r, "deparsers.0.order.1"), "ipv4"), "deparser order");

	check(streq(pi->pkg_info->arch, "v1model"), "pkg_info.arch");
	check(pi->n_tables == 1, "one P4Info table (the direct drop() table is hidden)");
	P4__Config__V1__Table *pt = p4i_table(pi, "QsIngress.ipv4_routes");
	check(pt && pt->preamble->id >> 24 == P4I_TABLE && streq(pt->preamble->alias, "ipv4_routes"),
	      "table preamble");
	check(pt && pt->preamble->id == ((P4I_TABLE << 24) |
		(p4i_name_hash("QsIngress.ipv4_routes", 21) & 0xffffff)), "p4c table id");
	check(pt && pt->n_match_fields == 1 && pt->match_fields[0]->id == 1 &&
	      pt->match_fields[0]->bitwidth == 32 &&
	      pt->match_fields[0]->match_type == P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM &&
	      streq(pt->match_fields[0]->name, "hdr.ipv4.dst"), "match field");
	check(pt && pt->size == 1024 && pt->n_action_refs == 2, "size, action refs");
	P4__Config__V1__Action *pa = p4i_action(pi, "QsIngress.forward");
	check(pa && pa->preamble->id >> 24 == P4I_ACTION && pa->n_params == 2 &&
	      pa->params[0]->id == 1 && pa->params[1]->id == 2 && pa->params[1]->bitwidth == 9 &&
	      streq(pa->params[1]->name, "port"), "forward in P4Info");
	check(pt && pa && pt->action_refs[0]->id == pa->preamble->id, "action ref id");
	check(strstr(out.p4info_txt, "name: \"QsIngress.ipv4_routes\"") != NULL, "P4Info text");

	/* Same input, same output. */
	struct p4c_output again;
	if (!p4c_compile_file(path, NULL, &again, stdout)) {
		check(!strcmp(again.bmv2_json, out.bmv2_json) &&
		      again.p4info_bin_len == out.p4info_bin_len &&
		      !memcmp(again.p4info_bin, out.p4info_bin, out.p4info_bin_len), "deterministic");
		p4c_output_free(&again);
	}
	p4__config__v1__p4_info__free_unpacked(pi, NULL);
	json_decref(r);
	p4c_output_free(&out);
}

static void features(const char *dir)
{
	char path[512];
	json_t *r;
	P4__Config__V1__P4Info *pi;
	struct p4c_output out;
	snprintf(path, sizeof(path), "%s/tests/compiler/programs/features.p4", dir);
	if (compile(path, &r, &pi, &out))
		return;

	json_t *prs = by_name(json_object_get(r, "parsers"), "parser");
	json_t *vl = by_name(json_object_get(prs, "parse_states"), "parse_vlan");
	check(streq(str_at(vl, "transitions.0.value"), "0x00000800") &&
	      streq(str_at(vl, "transitions.0.mask"), "0x0f00ffff"), "two-field select with mask");
	check(streq(str_at(vl, "transitions.1.type"), "default"), "(_, _) is the default");
	json_t *ip = by_name(json_object_get(prs, "parse_states"), "parse_ipv4");
	check(streq(str_at(ip, "parser_ops.1.op"), "set") &&
	      streq(str_at(ip, "parser_ops.1.parameters.0.value.1"), "userMetadata.l4"),
	      "assignment in a parser state is a set to the metadata scalar");
	check(streq(str_at(ip, "transition_key.0.value.0"), "scalars"),
	      "select on an expression goes through a temporary");

	json_t *ing = by_name(json_object_get(r, "pipelines"), "ingress");
	json_t *tabs = json_object_get(ing, "tables");
	check(streq(str_at(ing, "init_table"), "tbl_act"), "initialiser of a local runs first");
	json_t *routes = by_name(tabs, "I.routes");
	check(routes && json_object_get(json_object_get(routes, "next_tables"), "__HIT__") &&
	      streq(str_at(routes, "next_tables.__HIT__"), "I.classify"), "hit -> classify");
	check(streq(str_at(routes, "key.0.name"), "dst"), "@name on a key");
	check(int_at(routes, "max_size") == 512, "size = 512");
	json_t *cl = by_name(tabs, "I.classify");
	check(streq(str_at(cl, "match_type"), "ternary"), "classify is ternary");
	check(json_array_size(json_object_get(cl, "entries")) == 3, "3 const entries");
	check(streq(str_at(cl, "entries.0.match_key.1.key"), "0x0a000000") &&
	      streq(str_at(cl, "entries.0.match_key.1.mask"), "0xff000000") &&
	      int_at(cl, "entries.0.priority") == 1 && int_at(cl, "entries.2.priority") == 3,
	      "ternary entry and priorities");
	check(streq(str_at(cl, "entries.1.match_key.1.mask"), "0x00000000"), "_ is mask 0");
	check(streq(str_at(cl, "entries.0.action_entry.action_data.0"), "0x01"), "entry data");
	check(json_is_true(json_object_get(json_object_get(cl, "default_entry"), "action_const")) &&
	      streq(str_at(cl, "default_entry.action_data.0"), "0x07"), "const default_action(7)");
	json_t *nt = json_object_get(cl, "next_tables");
	check(streq(json_string_value(json_object_get(nt, "I.set_tos")), "tbl_act_1") &&
	      streq(json_string_value(json_object_get(nt, "NoAction")), "I.vlan_table"),
	      "switch on action_run");
	json_t *vlans = by_name(tabs, "I.vlan_table");
	check(streq(str_at(vlans, "key.1.target.1"), "$valid$") &&
	      streq(str_at(vlans, "key.1.match_type"), "exact"), "isValid() key");
	check(by_name(json_object_get(r, "actions"), "I.fwd") != NULL, "@name on an action");

	check(pi->n_tables == 3, "3 P4Info tables, hidden ones left out (got %zu)", pi->n_tables);
	check(p4i_action(pi, "act") == NULL, "synthesized actions are not in P4Info");
	P4__Config__V1__Table *pc = p4i_table(pi, "I.classify");
	P4__Config__V1__Action *st = p4i_action(pi, "I.set_tos");
	check(pc && pc->is_const_table && st && pc->const_default_action_id == st->preamble->id,
	      "const table and const default action");
	check(pc && pc->n_match_fields == 2 &&
	      pc->match_fields[1]->match_type == P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__TERNARY,
	      "ternary match field");
	check(p4i_action(pi, "I.fwd") && streq(p4i_action(pi, "I.fwd")->preamble->alias, "fwd"),
	      "fwd alias");
	P4__Config__V1__Table *pv = p4i_table(pi, "I.vlan_table");
	check(pv && pv->preamble->id == 0x0200abcd && streq(pv->preamble->alias, "vlan_table"),
	      "@name and @id on a table");
	check(pv && pv->n_match_fields == 2 && pv->match_fields[1]->bitwidth == 1 &&
	      streq(pv->match_fields[1]->name, "hdr.vlan.isValid()"), "isValid() match field");
	check(pi->n_controller_packet_metadata == 2, "packet_in and packet_out");
	for (size_t i = 0; i < pi->n_controller_packet_metadata; i++) {
		P4__Config__V1__ControllerPacketMetadata *c = pi->controller_packet_metadata[i];
		check(c->preamble->id >> 24 == P4I_CONTROLLER_HEADER, "cpm id prefix");
		if (streq(c->preamble->name, "packet_in"))
			check(c->n_metadata == 2 && streq(c->metadata[0]->name, "ingress_port") &&
			      c->metadata[0]->bitwidth == 9 && c->metadata[0]->id == 1, "packet_in");
	}
	p4__config__v1__p4_info__free_unpacked(pi, NULL);
	json_decref(r);
	p4c_output_free(&out);
}

static void more(const char *dir)
{
	char path[512];
	json_t *r;
	P4__Config__V1__P4Info *pi;
	struct p4c_output out;
	snprintf(path, sizeof(path), "%s/tests/compiler/programs/more.p4", dir);
	if (compile(path, &r, &pi, &out))
		return;
	json_t *stk = by_name(json_object_get(r, "header_stacks"), "tags");
	check(stk && int_at(stk, "size") == 2 && json_array_size(json_object_get(stk, "header_ids")) == 2,
	      "header stack tags[2]");
	json_t *prs = by_name(json_object_get(r, "parsers"), "parser");
	json_t *tg = by_name(json_object_get(prs, "parse_states"), "parse_tags");
	check(streq(str_at(tg, "parser_ops.0.op"), "set") &&
	      streq(str_at(tg, "parser_ops.0.parameters.1.type"), "lookahead") &&
	      int_at(tg, "parser_ops.0.parameters.1.value.1") == 8, "lookahead<bit<8>>");
	check(streq(str_at(tg, "parser_ops.1.parameters.0.type"), "stack"), "extract(stack.next)");
	check(streq(str_at(tg, "parser_ops.3.op"), "verify") &&
	      streq(str_at(tg, "parser_ops.3.parameters.1.value"), "0x00000007"),
	      "verify with a user error (after the 7 core errors)");
	check(streq(str_at(tg, "transition_key.0.type"), "stack_field") &&
	      streq(str_at(tg, "transition_key.0.value.0"), "tags"), "select on stack.last.b");
	json_t *cf = by_name(json_object_get(r, "actions"), "I.copy_first");
	check(streq(str_at(cf, "primitives.1.op"), "pop") &&
	      streq(str_at(cf, "primitives.1.parameters.0.type"), "header_stack") &&
	      streq(str_at(cf, "primitives.2.parameters.1.value.value.left.value.op"),
		    "last_stack_index"), "pop_front and lastIndex");
	bool jz = false;
	json_t *prims = json_object_get(cf, "primitives"), *pr;
	size_t pi_;
	json_array_foreach(prims, pi_, pr)
		jz |= streq(str_at(pr, "op"), "_jump_if_zero");
	check(jz && streq(str_at(json_array_get(prims, json_array_size(prims) - 1),
				 "parameters.0.value.1"), "userMetadata.x"),
	      "function inlined into the action, its value assigned last");
	json_t *sy = by_name(json_object_get(r, "actions"), "I.set_y");
	check(streq(str_at(sy, "primitives.0.op"), "_jump_if_zero") &&
	      streq(str_at(sy, "primitives.0.parameters.1.value"), "0x00000003") &&
	      streq(str_at(sy, "primitives.2.op"), "_jump") &&
	      streq(str_at(sy, "primitives.2.parameters.0.value"), "0x00000004"),
	      "if/else in an action as jumps");
	check(streq(str_at(sy, "primitives.1.parameters.0.value.1"), "userMetadata.y") &&
	      json_array_size(json_object_get(sy, "runtime_data")) == 1,
	      "inout parameter bound to meta.y, v stays runtime data");
	P4__Config__V1__Action *pa = p4i_action(pi, "I.set_y");
	check(pa && pa->n_params == 1 && streq(pa->params[0]->name, "v"), "set_y in P4Info");
	check(streq(str_at(r, "deparsers.0.order.1"), "tags[0]") &&
	      streq(str_at(r, "deparsers.0.order.3"), "one"), "emit(hdr) emits every header");
	p4__config__v1__p4_info__free_unpacked(pi, NULL);
	json_decref(r);
	p4c_output_free(&out);
}

static void externs(const char *dir)
{
	char path[512];
	json_t *r;
	P4__Config__V1__P4Info *pi;
	struct p4c_output out;
	snprintf(path, sizeof(path), "%s/tests/compiler/programs/externs.p4", dir);
	if (compile(path, &r, &pi, &out))
		return;
	json_t *ca = json_object_get(r, "counter_arrays");
	check(int_at(by_name(ca, "I.per_port"), "size") == 64, "indirect counter");
	check(streq(str_at(by_name(ca, "I.acl_hits"), "binding"), "I.acl") &&
	      json_is_true(json_object_get(by_name(ca, "I.acl_hits"), "is_direct")), "direct counter");
	json_t *ing = by_name(json_object_get(r, "pipelines"), "ingress");
	check(json_is_true(json_object_get(by_name(json_object_get(ing, "tables"), "I.acl"),
					   "with_counters")), "with_counters");
	check(streq(str_at(r, "meter_arrays.0.type"), "bytes") &&
	      int_at(r, "register_arrays.0.bitwidth") == 32, "meter and register arrays");
	json_t *cp = by_name(json_object_get(r, "actions"), "I.count_and_police");
	check(streq(str_at(cp, "primitives.0.op"), "count") &&
	      streq(str_at(cp, "primitives.0.parameters.0.type"), "counter_array") &&
	      streq(str_at(cp, "primitives.1.op"), "execute_meter") &&
	      streq(str_at(cp, "primitives.2.op"), "register_read") &&
	      streq(str_at(cp, "primitives.3.op"), "register_write"), "extern methods");
	json_t *pk = by_name(json_object_get(r, "actions"), "I.pick");
	check(streq(str_at(pk, "primitives.0.op"), "modify_field_with_hash_based_offset") &&
	      streq(str_at(pk, "primitives.0.parameters.2.type"), "calculation") &&
	      streq(str_at(r, "calculations.0.algo"), "crc16"), "hash");
	json_t *cut = by_name(json_object_get(r, "actions"), "I.cut");
	check(streq(str_at(cut, "primitives.1.op"), "log_msg") &&
	      streq(str_at(cut, "primitives.1.parameters.0.value"), "cut on port {}") &&
	      streq(str_at(cut, "primitives.1.parameters.1.type"), "parameters_vector") &&
	      streq(str_at(cut, "primitives.2.op"), "assert"), "log_msg (overloaded) and assert");
	check(streq(str_at(cut, "primitives.3.op"), "clone_ingress_pkt_to_egress") &&
	      streq(str_at(cut, "primitives.3.parameters.0.value"), "0x00000005"), "clone I2E");
	check(pi->n_counters == 1 && pi->counters[0]->size == 64 &&
	      pi->counters[0]->preamble->id >> 24 == P4I_COUNTER &&
	      pi->counters[0]->spec->unit == P4__CONFIG__V1__COUNTER_SPEC__UNIT__BOTH,
	      "P4Info counter");
	P4__Config__V1__Table *acl = p4i_table(pi, "I.acl");
	check(pi->n_direct_counters == 1 && acl &&
	      pi->direct_counters[0]->direct_table_id == acl->preamble->id &&
	      acl->n_direct_resource_ids == 1 &&
	      acl->direct_resource_ids[0] == pi->direct_counters[0]->preamble->id,
	      "P4Info direct counter bound to its table");
	check(pi->n_meters == 1 && pi->n_registers == 1 && pi->registers[0]->size == 128,
	      "P4Info meter and register");
	check(streq(str_at(r, "learn_lists.0.name"), "learn_t") && int_at(r, "learn_lists.0.id") == 1 &&
	      json_array_size(json_object_get(json_array_get(json_object_get(r, "learn_lists"), 0),
					      "elements")) == 3, "learn list");
	check(streq(str_at(pk, "primitives.2.op"), "assign") &&
	      streq(str_at(pk, "primitives.5.op"), "generate_digest") &&
	      streq(str_at(pk, "primitives.5.parameters.1.value"), "0x00000001"), "generate_digest");
	check(pi->n_digests == 1 && streq(pi->digests[0]->preamble->name, "learn_t") &&
	      pi->digests[0]->preamble->id >> 24 == P4I_DIGEST &&
	      pi->digests[0]->type_spec->type_spec_case ==
	      P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_STRUCT, "P4Info digest");
	check(pi->type_info && pi->type_info->n_structs == 1 &&
	      pi->type_info->structs[0]->value->n_members == 3 &&
	      pi->type_info->structs[0]->value->members[1]->type_spec->bitstring->bit->bitwidth == 9 &&
	      pi->type_info->structs[0]->value->members[2]->type_spec->type_spec_case ==
	      P4__CONFIG__V1__P4_DATA_TYPE_SPEC__TYPE_SPEC_BOOL, "P4Info type_info for the digest");
	p4__config__v1__p4_info__free_unpacked(pi, NULL);
	json_decref(r);
	p4c_output_free(&out);
}

/* P4Info of control-plane objects: docs, @ids, profiles, value sets, direct
 * meters; and the matching BMv2 JSON. */
static void controlplane(const char *dir)
{
	char path[512];
	json_t *r;
	P4__Config__V1__P4Info *pi;
	struct p4c_output out;
	snprintf(path, sizeof(path), "%s/tests/compiler/programs/docs_ids.p4", dir);
	if (compile(path, &r, &pi, &out))
		return;
	P4__Config__V1__Table *mt = p4i_table(pi, "I.metered"), *bt = p4i_table(pi, "I.balanced");
	P4__Config__V1__Action *fwd = p4i_action(pi, "I.fwd");
	check(mt && mt->preamble->doc && streq(mt->preamble->doc->brief, "exact on a") &&
	      streq(mt->preamble->doc->description, "the only table with a meter") &&
	      fwd && fwd->preamble->doc && streq(fwd->preamble->doc->brief, "forward") &&
	      bt && !bt->preamble->doc, "@brief and @description of tables and actions");
	check(mt && mt->preamble->n_annotations == 2 &&
	      streq(mt->preamble->annotations[0], "@flag") &&
	      streq(mt->preamble->annotations[1], "@colour(2)") &&
	      fwd && fwd->preamble->n_annotations == 0, "other annotations kept in the preamble");
	check(pi->n_counters == 1 && pi->counters[0]->preamble->id == 0x12000007 &&
	      pi->counters[0]->preamble->doc &&
	      streq(pi->counters[0]->preamble->doc->brief, "packets per port") &&
	      streq(pi->counters[0]->preamble->doc->description, "indexed by the ingress port"),
	      "counter @id and docs");
	check(pi->n_registers == 1 && pi->registers[0]->preamble->id == 0x16000003 &&
	      pi->n_meters == 1 && pi->meters[0]->preamble->id == 0x14000001 &&
	      pi->meters[0]->spec->unit == P4__CONFIG__V1__METER_SPEC__UNIT__BYTES,
	      "register and meter @id");
	check(pi->n_direct_meters == 1 && mt &&
	      pi->direct_meters[0]->preamble->id >> 24 == P4I_DIRECT_METER &&
	      pi->direct_meters[0]->direct_table_id == mt->preamble->id &&
	      mt->n_direct_resource_ids == 1 &&
	      mt->direct_resource_ids[0] == pi->direct_meters[0]->preamble->id,
	      "direct meter bound to its table");
	check(pi->n_action_profiles == 1 && pi->action_profiles[0]->preamble->id == 0x11000005 &&
	      pi->action_profiles[0]->with_selector && pi->action_profiles[0]->size == 64 &&
	      pi->action_profiles[0]->max_group_size == 4 &&
	      pi->action_profiles[0]->n_table_ids == 1 && bt &&
	      pi->action_profiles[0]->table_ids[0] == bt->preamble->id &&
	      bt->implementation_id == 0x11000005 && bt->n_match_fields == 1,
	      "action selector: @id, size, table, selector key not a match field");
	check(pi->n_value_sets == 1 && pi->value_sets[0]->preamble->id == 0x03000042 &&
	      streq(pi->value_sets[0]->preamble->name, "P.pairs") && pi->value_sets[0]->size == 8 &&
	      pi->value_sets[0]->n_match == 2 && streq(pi->value_sets[0]->match[1]->name, "t") &&
	      pi->value_sets[0]->match[1]->bitwidth == 16, "value set over a struct");
	json_t *ing = by_name(json_object_get(r, "pipelines"), "ingress");
	json_t *bal = by_name(json_object_get(ing, "tables"), "I.balanced");
	check(streq(str_at(bal, "type"), "indirect_ws") &&
	      streq(str_at(bal, "action_profile"), "I.sel") &&
	      json_array_size(json_object_get(bal, "key")) == 1, "indirect_ws table");
	json_t *ap = by_name(json_object_get(ing, "action_profiles"), "I.sel");
	check(streq(str_at(ap, "selector.algo"), "crc32") &&
	      streq(str_at(ap, "selector.input.0.value.1"), "t"), "selector inputs");
	json_t *dm = by_name(json_object_get(r, "meter_arrays"), "I.dm");
	check(json_is_true(json_object_get(dm, "is_direct")) &&
	      streq(str_at(dm, "binding"), "I.metered") &&
	      streq(str_at(dm, "result_target.1"), "userMetadata.colour") &&
	      streq(str_at(by_name(json_object_get(ing, "tables"), "I.metered"), "direct_meters"),
		    "I.dm"), "direct meter in the JSON");
	check(streq(str_at(r, "parse_vsets.0.name"), "P.pairs") &&
	      int_at(r, "parse_vsets.0.compressed_bitwidth") == 24, "parse_vsets");
	p4__config__v1__p4_info__free_unpacked(pi, NULL);
	json_decref(r);
	p4c_output_free(&out);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	quickstart(dir);
	features(dir);
	more(dir);
	externs(dir);
	controlplane(dir);
	printf("%s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
