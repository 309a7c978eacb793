/* test_text.c - the protobuf text format printer and parser, the P4Info
 * builder and P4Info loading.  (protoc_interop.sh holds the same code
 * against protoc itself.) */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "file.h"
#include "p4info.h"
#include "samples.h"
#include "p4/v1/p4runtime.pb-c.h"

static const char *fixtures;

/* The exact layout: two-space indent, `name {`, field-number order,
 * zero values of proto3 fields left out. */
static void golden(void)
{
	struct p4i_builder *b = p4i_builder_new();
	struct p4l_err err = {0};
	char *txt;
	size_t len;

	CHECK(p4i_set_pkg_info(b, NULL, "v1model") == 0);
	P4__Config__V1__Table *t = p4i_add_table(b, 37375156, "MyIngress.ipv4_lpm", "ipv4_lpm", 1024);
	CHECK(t != NULL);
	CHECK(p4i_table_add_match(b, t, 1, "hdr.ipv4.dstAddr", 32,
				  P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM) != NULL);
	CHECK(p4i_table_add_action_ref(b, t, 28792405,
				       P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_AND_DEFAULT) != NULL);
	CHECK(p4i_add_action(b, 21257015, "NoAction", NULL) != NULL);
	CHECK(p4i_builder_text(b, &txt, &len, &err) == 0);
	CHECK_STR(txt,
		"pkg_info {\n"
		"  arch: \"v1model\"\n"
		"}\n"
		"tables {\n"
		"  preamble {\n"
		"    id: 37375156\n"
		"    name: \"MyIngress.ipv4_lpm\"\n"
		"    alias: \"ipv4_lpm\"\n"
		"  }\n"
		"  match_fields {\n"
		"    id: 1\n"
		"    name: \"hdr.ipv4.dstAddr\"\n"
		"    bitwidth: 32\n"
		"    match_type: LPM\n"
		"  }\n"
		"  action_refs {\n"
		"    id: 28792405\n"
		"  }\n"
		"  size: 1024\n"
		"}\n"
		"actions {\n"
		"  preamble {\n"
		"    id: 21257015\n"
		"    name: \"NoAction\"\n"
		"    alias: \"NoAction\"\n"
		"  }\n"
		"}\n");
	CHECK_EQ_U(len, strlen(txt));
	free(txt);

	/* An empty message prints as nothing; an empty submessage as braces. */
	P4__Config__V1__P4Info empty;
	p4__config__v1__p4_info__init(&empty);
	CHECK(p4i_text_print(&empty.base, &txt, NULL, &err) == 0);
	CHECK_STR(txt, "");
	free(txt);
	P4__Config__V1__P4TypeInfo ti;
	p4__config__v1__p4_type_info__init(&ti);
	empty.type_info = &ti;
	CHECK(p4i_text_print(&empty.base, &txt, NULL, &err) == 0);
	CHECK_STR(txt, "type_info {\n}\n");
	free(txt);
	p4i_builder_free(b);
	p4i_builder_free(NULL);
}

static int contains(const char *hay, const char *needle)
{
	int ok = strstr(hay, needle) != NULL;
	if (!ok)
		fprintf(stderr, "missing from the text: %s\n", needle);
	return ok;
}

/* binary -> text -> binary gives the same bytes, for each sample. */
static void round_trips(void)
{
	static const struct { const char *sample; const ProtobufCMessageDescriptor *d; } cases[] = {
		{ "p4info", &p4__config__v1__p4_info__descriptor },
		{ "write", &p4__v1__write_request__descriptor },
		{ "stream", &p4__v1__stream_message_response__descriptor },
		{ "digest", &p4__v1__stream_message_response__descriptor },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct p4l_err err = {0};
		uint8_t *bin, *back;
		size_t len, back_len;
		char *txt;
		CHECK(sample_binary(cases[i].sample, &bin, &len, &err) == 0);
		ProtobufCMessage *m = protobuf_c_message_unpack(cases[i].d, NULL, len, bin);
		CHECK(m != NULL);
		if (!m)
			continue;
		CHECK(p4i_text_print(m, &txt, NULL, &err) == 0);
		CHECK(p4i_text_to_binary(cases[i].d, txt, strlen(txt), cases[i].sample,
					 &back, &back_len, &err) == 0);
		CHECK_EQ_U(back_len, len);
		CHECK(back_len == len && memcmp(back, bin, len) == 0);

		if (!strcmp(cases[i].sample, "p4info")) {
			CHECK(contains(txt, "  brief: \"A \\\"tunnel\\\"\\tsample\\n\\303\\251t\\303\\251 \\\\ \\'\"\n"));
			CHECK(contains(txt, "    annotations: \"@name(\\\"ipv4_lpm\\\")\"\n"));
			CHECK(contains(txt, "    scope: TABLE_ONLY\n"));
			CHECK(!strstr(txt, "TABLE_AND_DEFAULT"));  /* enum zero: left out */
			CHECK(contains(txt, "  size: 1099511627776\n"));
			CHECK(contains(txt, "    other_match_type: \"dleft\"\n"));
			CHECK(contains(txt, "  idle_timeout_behavior: NOTIFY_CONTROL\n"));
			CHECK(contains(txt, "  initial_default_action {\n    action_id: 25652968\n  }\n"));
			CHECK(contains(txt, "      bit {\n        bitwidth: 48\n      }\n"));
			CHECK(contains(txt, "    id: 16777282\n"));  /* @id 0x42 of an action */
			CHECK(!strstr(txt, "bitwidth: 0"));
		} else if (!strcmp(cases[i].sample, "write")) {
			CHECK(contains(txt, "device_id: 18446744073709551615\n"));
			CHECK(contains(txt, "election_id {\n  low: 1\n}\n"));
			CHECK(contains(txt, "      priority: -5\n"));
			CHECK(contains(txt, "      idle_timeout_ns: -9223372036854775808\n"));
			CHECK(contains(txt, "      controller_metadata: 18446744073709551615\n"));
			CHECK(contains(txt, "        exact {\n        }\n"));  /* oneof, empty */
			CHECK(contains(txt, "          egress_port: 0\n"));    /* oneof at zero */
			CHECK(contains(txt, "value: \"\\000\\001\\002\\003\\004\\005\\006\\007\\010\\t\\n\\013\\014\\r\\016"));
			CHECK(contains(txt, " !\\\"#$%&\\'()*+,-./0123456789:;<=>?@ABC"));
			CHECK(contains(txt, "xyz{|}~\\177\\200\\201"));
			CHECK(contains(txt, "\\376\\377\"\n"));
			CHECK(contains(txt, "          instance: 4294967295\n"));
			CHECK(contains(txt, "atomicity: ROLLBACK_ON_ERROR\n"));
		} else if (!strcmp(cases[i].sample, "digest")) {
			CHECK(contains(txt, "        bool: false\n"));
			CHECK(contains(txt, "  list_id: 9223372036854775808\n"));
			CHECK(contains(txt, "  timestamp: -1\n"));
		}
		protobuf_c_message_free_unpacked(m, NULL);
		free(bin);
		free(back);
		free(txt);
	}
}

/* An enum value the schema does not name prints as a number, which parses. */
static void open_enums(void)
{
	struct p4i_builder *b = p4i_builder_new();
	struct p4l_err err = {0};
	char *txt;
	P4__Config__V1__Table *t = p4i_add_table(b, 1, "t", NULL, 0);
	t->idle_timeout_behavior = 7;
	CHECK(p4i_builder_text(b, &txt, NULL, &err) == 0);
	CHECK(contains(txt, "  idle_timeout_behavior: 7\n"));
	ProtobufCMessage *m;
	CHECK(p4i_text_parse(&p4__config__v1__p4_info__descriptor, txt, strlen(txt), "t", &m, &err) == 0);
	CHECK_EQ_U(((P4__Config__V1__P4Info *)m)->tables[0]->idle_timeout_behavior, 7);
	protobuf_c_message_free_unpacked(m, NULL);
	free(txt);
	p4i_builder_free(b);
}

/* Many appends through P4I_APPEND: every value lands, in order. */
static void builder_growth(void)
{
	struct p4i_builder *b = p4i_builder_new();
	struct p4l_err err = {0};
	P4__Config__V1__Table *t = p4i_add_table(b, 1, "t", NULL, 0);
	for (uint32_t i = 0; i < 5000; i++)
		CHECK(p4i_table_add_direct_resource(b, t, 0x13000000u + i) == 0);
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof name, "a%d", i);
		CHECK(p4i_add_action(b, 0x01000000u + (uint32_t)i, name, NULL) != NULL);
	}
	uint8_t *bin;
	size_t len;
	CHECK(p4i_builder_pack(b, &bin, &len, &err) == 0);
	P4__Config__V1__P4Info *pi = p4__config__v1__p4_info__unpack(NULL, len, bin);
	CHECK(pi != NULL);
	if (pi) {
		CHECK_EQ_U(pi->tables[0]->n_direct_resource_ids, 5000);
		for (uint32_t i = 0; i < 5000; i++)
			CHECK(pi->tables[0]->direct_resource_ids[i] == 0x13000000u + i);
		CHECK_EQ_U(pi->n_actions, 300);
		CHECK_STR(pi->actions[299]->preamble->name, "a299");
		CHECK_STR(pi->actions[299]->preamble->alias, "a299");
		p4__config__v1__p4_info__free_unpacked(pi, NULL);
	}
	free(bin);
	p4i_builder_free(b);
}

/* The loose syntax people write by hand, read through p4i_p4info_load. */
static void hand_written(void)
{
	char path[512];
	struct p4l_err err = {0};
	P4__Config__V1__P4Info *pi;
	snprintf(path, sizeof path, "%s/basic_tunnel.p4info.txtpb", fixtures);
	CHECK(p4i_p4info_load(path, &pi, &err) == 0);
	if (!pi) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	CHECK_EQ_U(pi->n_tables, 2);
	P4__Config__V1__Table *t = pi->tables[0];
	CHECK_EQ_U(t->preamble->id, 37375156);
	CHECK_STR(t->preamble->name, "MyIngress.ipv4_lpm");
	CHECK_STR(t->preamble->alias, "ipv4_lpm");
	CHECK_STR(t->preamble->annotations[0], "@name(\"ipv4\\_lpm\")");
	CHECK_EQ_U(t->match_fields[0]->match_type, P4__CONFIG__V1__MATCH_FIELD__MATCH_TYPE__LPM);
	CHECK_EQ_U(t->n_action_refs, 4);
	CHECK_EQ_U(t->action_refs[1]->scope, P4__CONFIG__V1__ACTION_REF__SCOPE__TABLE_ONLY);
	CHECK_EQ_U(t->action_refs[3]->scope, P4__CONFIG__V1__ACTION_REF__SCOPE__DEFAULT_ONLY);
	CHECK_EQ_U(t->n_direct_resource_ids, 3);
	CHECK_EQ_U(t->direct_resource_ids[1], 0x13000002);
	CHECK_EQ_U(t->idle_timeout_behavior, P4__CONFIG__V1__TABLE__IDLE_TIMEOUT_BEHAVIOR__NOTIFY_CONTROL);
	CHECK(t->is_const_table);
	CHECK_EQ_U(pi->tables[1]->match_fields[0]->bitwidth, 16);  /* 020 is octal */
	CHECK_EQ_U(pi->tables[1]->size, INT64_MAX);
	CHECK(pi->tables[1]->has_initial_entries);
	CHECK_STR(pi->controller_packet_metadata[0]->preamble->doc->brief, "caf\xc3\xa9 A\xc3\xa9");
	CHECK(pi->type_info != NULL);
	p4__config__v1__p4_info__free_unpacked(pi, NULL);

	/* The same P4Info written in binary loads to the same message. */
	uint8_t *bin;
	size_t len;
	char *txt;
	CHECK(p4l_read_file(path, &txt, &len, &err) == 0);
	CHECK(p4i_text_to_binary(&p4__config__v1__p4_info__descriptor, txt, len, path,
				 &bin, &len, &err) == 0);
	char tmpl[] = "/tmp/p4info-test-XXXXXX";
	CHECK(mkdtemp(tmpl) != NULL);
	char binpath[600], badpath[600];
	snprintf(binpath, sizeof binpath, "%s/prog.p4info", tmpl);
	snprintf(badpath, sizeof badpath, "%s/bad.p4info", tmpl);
	CHECK(p4l_write_file(binpath, bin, len, &err) == 0);
	CHECK(p4i_p4info_load(binpath, &pi, &err) == 0);
	if (pi) {
		CHECK_EQ_U(pi->tables[0]->preamble->id, 37375156);
		CHECK_EQ_U(pi->n_actions, 2);
		p4__config__v1__p4_info__free_unpacked(pi, NULL);
	}
	/* Text given a binary name fails with a hint. */
	CHECK(p4l_write_file(badpath, txt, strlen(txt), &err) == 0);
	CHECK(p4i_p4info_load(badpath, &pi, &err) == -EINVAL);
	CHECK(pi == NULL);
	char want[800];
	snprintf(want, sizeof want, "%s: not a binary P4Info (protobuf decoding failed); "
		 "a text P4Info needs a .txt or .txtpb name", badpath);
	CHECK_STR(err.msg, want);
	unlink(binpath);
	unlink(badpath);
	rmdir(tmpl);
	free(bin);
	free(txt);
}

static void errors(void)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "tables { foo: 1 }",
		  "t.txtpb:1:10: message p4.config.v1.Table has no field named \"foo\"" },
		{ "tables { size 5 }",
		  "t.txtpb:1:15: expected \":\" after field name \"size\", got \"5\"" },
		{ "tables {\n  preamble { name: \"abc }\n}",
		  "t.txtpb:2:20: string literal not terminated on its line" },
		{ "tables { match_fields { bitwidth: 3000000000 } }",
		  "t.txtpb:1:35: integer 3000000000 is out of range for int32 field \"bitwidth\"" },
		{ "tables { preamble { id: -1 } }",
		  "t.txtpb:1:26: integer -1 is out of range for uint32 field \"id\"" },
		{ "tables { size: 99999999999999999999 }",
		  "t.txtpb:1:16: integer 99999999999999999999 is out of range for int64 field \"size\"" },
		{ "tables { size: -1.5 }",
		  "t.txtpb:1:17: expected an integer for int64 field \"size\", got \"1.5\"" },
		{ "tables { size: 1" "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 }",
		  "t.txtpb:1:16: \"1000000000000000000000000000000000000000...\" is too long for int64 "
		  "field \"size\"" },
		{ "tables { idle_timeout_behavior: SOMETIMES }",
		  "t.txtpb:1:33: enum p4.config.v1.Table.IdleTimeoutBehavior has no value named "
		  "\"SOMETIMES\" (field \"idle_timeout_behavior\")" },
		{ "tables { size: 1\n size: 2 }",
		  "t.txtpb:2:2: non-repeated field \"size\" is given more than once" },
		{ "tables { match_fields { match_type: EXACT other_match_type: \"x\" } }",
		  "t.txtpb:1:43: field \"other_match_type\" is given along with \"match_type\", "
		  "another member of the same oneof" },
		{ "tables { preamble { id: 1 }",
		  "t.txtpb:1:28: expected \"}\" to close a p4.config.v1.Table, got end of input" },
		{ "tables { preamble { id: 1 > }",
		  "t.txtpb:1:27: expected \"}\" to close a p4.config.v1.Preamble, got \">\"" },
		{ "tables { size: [1, 2] }",
		  "t.txtpb:1:16: field \"size\" is not repeated; a list [...] is not allowed" },
		{ "tables { direct_resource_ids: [1 2] }",
		  "t.txtpb:1:34: expected \",\" or \"]\" in the list of field \"direct_resource_ids\", got \"2\"" },
		{ "pkg_info { name: 5 }",
		  "t.txtpb:1:18: expected a string for string field \"name\", got \"5\"" },
		{ "tables { is_const_table: maybe }",
		  "t.txtpb:1:26: expected true or false for bool field \"is_const_table\", got \"maybe\"" },
		{ "tables { preamble 5 }",
		  "t.txtpb:1:19: expected \"{\" to open message field \"preamble\", got \"5\"" },
		{ "}", "t.txtpb:1:1: unmatched \"}\"" },
		{ "tables { } $", "t.txtpb:1:12: unexpected character '$'" },
		{ "tables { preamble { name: \"\\q\" } }",
		  "t.txtpb:1:27: unknown escape sequence \\q" },
		{ "tables { preamble { name: \"\\400\" } }",
		  "t.txtpb:1:27: octal escape \\400 is more than a byte" },
		{ "[p4.ext] { }",
		  "t.txtpb:1:1: extensions and expanded Any fields ([...]) are not supported" },
		{ "# only a comment\n  5",
		  "t.txtpb:2:3: expected a field name of p4.config.v1.P4Info, got \"5\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct p4l_err err = {0};
		ProtobufCMessage *m = (ProtobufCMessage *)&err;  /* must come back NULL */
		int r = p4i_text_parse(&p4__config__v1__p4_info__descriptor, cases[i].text,
				       strlen(cases[i].text), "t.txtpb", &m, &err);
		CHECK(r == -EINVAL);
		CHECK(m == NULL);
		CHECK_STR(err.msg, cases[i].msg);
	}

	/* Nesting is bounded: 150 levels of P4Data structs are refused. */
	char deep[8192] = "digest { data { ";
	for (int i = 0; i < 150; i++)
		strcat(deep, "struct { members { ");
	struct p4l_err err = {0};
	ProtobufCMessage *m;
	CHECK(p4i_text_parse(&p4__v1__stream_message_response__descriptor, deep, strlen(deep),
			     "deep", &m, &err) == -EINVAL);
	CHECK(strstr(err.msg, "messages nested more than 100 deep") != NULL);

	/* The text need not be NUL-terminated: the length is the end. */
	const char *part = "tables { size: 12 } garbage";
	CHECK(p4i_text_parse(&p4__config__v1__p4_info__descriptor, part, 19, "p", &m, &err) == 0);
	CHECK_EQ_U(((P4__Config__V1__P4Info *)m)->tables[0]->size, 12);
	protobuf_c_message_free_unpacked(m, NULL);
}

/* Every integer width and its limits, and the other scalar spellings. */
static void scalars(void)
{
	struct p4l_err err = {0};
	ProtobufCMessage *m;
	const char *text =
		"device_id: 0xFFFFFFFFFFFFFFFF role_id: 0 role: 'r' \"\\x41\\u00e9\" "
		"election_id { high: 01777777777777777777777 low: 0x1 } "
		"updates { type: 3 entity { table_entry { priority: -2147483648 "
		"idle_timeout_ns: -9223372036854775808 is_default_action: 1 "
		"time_since_last_hit { elapsed_ns: 9223372036854775807 } } } }";
	CHECK(p4i_text_parse(&p4__v1__write_request__descriptor, text, strlen(text), "s", &m, &err) == 0);
	if (!m) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	P4__V1__WriteRequest *w = (P4__V1__WriteRequest *)m;
	CHECK_EQ_U(w->device_id, UINT64_MAX);
	CHECK_STR(w->role, "rA\xc3\xa9");
	CHECK_EQ_U(w->election_id->high, UINT64_MAX);
	CHECK_EQ_U(w->election_id->low, 1);
	CHECK_EQ_U(w->updates[0]->type, P4__V1__UPDATE__TYPE__DELETE);
	P4__V1__TableEntry *te = w->updates[0]->entity->table_entry;
	CHECK(te->priority == INT32_MIN);
	CHECK(te->idle_timeout_ns == INT64_MIN);
	CHECK(te->is_default_action);
	CHECK(te->time_since_last_hit->elapsed_ns == INT64_MAX);
	protobuf_c_message_free_unpacked(m, NULL);
}

int main(int argc, char **argv)
{
	fixtures = argc > 1 ? argv[1] : "fixtures";
	golden();
	round_trips();
	open_enums();
	builder_growth();
	hand_written();
	errors();
	scalars();
	return CHECK_DONE();
}
