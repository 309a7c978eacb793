/* test_lab.c - the lab model and its YAML reader: good files read into the
 * expected tree, bad ones give exactly the expected message (file, line, what
 * is wrong).  No root needed. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"

static int failures;

#define EXPECT(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		failures++; \
	} \
} while (0)

static struct lab *load(const char *path, const char *text, struct p4l_err *err)
{
	struct lab *lab = NULL;
	memset(err, 0, sizeof(*err));
	int rc = lab_load_string(path, text, strlen(text), NULL, &lab, err);
	if (rc < 0 && lab)
		fprintf(stderr, "FAIL: a failed load returned a lab\n"), failures++;
	return lab;
}

static const char *ip_str(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];
	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static void test_quickstart(void)
{
	struct p4l_err err;
	struct lab *lab = load("dir/lab.yaml",
		"# a comment\n"
		"name: quick\n"
		"hosts:\n"
		"  h1: {ip: 10.0.0.1/24, mac: \"00:00:0a:00:00:01\"}\n"
		"  h2:\n"
		"    ip: 10.0.0.2/24\n"
		"    gateway: 10.0.0.254\n"
		"    gateway_mac: 00:00:0a:00:00:fe\n"
		"switches:\n"
		"  s1:\n"
		"    program: quickstart.p4\n"
		"    entries: s1-entries.json\n"
		"    log: none\n"
		"  s2: {program: /abs/fwd.json, device_id: 0x10}\n"
		"links:\n"
		"  - endpoints: [\"h1\", \"s1:1\"]\n"
		"  - endpoints: [h2, \"s1:2\"]\n"
		"  - endpoints: [\"s1:3\", \"s2:0\"]\n"
		"    rate: 2.5Gbit\n", &err);
	EXPECT(lab, "quickstart lab: %s", err.msg);
	if (!lab)
		return;
	EXPECT(!strcmp(lab->name, "quick"), "name %s", lab->name);
	EXPECT(lab->n_hosts == 2 && lab->n_switches == 2 && lab->n_links == 3, "counts");
	struct lab_host *h1 = lab_find_host(lab, "h1"), *h2 = lab_find_host(lab, "h2");
	EXPECT(h1 && h1->line == 4 && h1->has_ip && h1->prefix == 24, "h1");
	EXPECT(h1 && !strcmp(ip_str(h1->ip), "10.0.0.1"), "h1 ip");
	EXPECT(h1 && !memcmp(h1->mac, "\x00\x00\x0a\x00\x00\x01", 6), "h1 mac");
	EXPECT(h1 && !strcmp(h1->main_if, "eth0") && !strcmp(h1->netns, "p4lab-quick.h1"),
	       "h1 names: %s %s", h1->main_if, h1->netns);
	/* No MAC given: 02:00 and the address. */
	EXPECT(h2 && !memcmp(h2->mac, "\x02\x00\x0a\x00\x00\x02", 6), "h2 derived mac");
	EXPECT(h2 && h2->has_gw && !strcmp(ip_str(h2->gw), "10.0.0.254"), "h2 gateway");
	EXPECT(h2 && h2->has_gw_mac && h2->gw_mac[5] == 0xfe, "h2 gateway mac");
	struct lab_switch *s1 = lab_find_switch(lab, "s1"), *s2 = lab_find_switch(lab, "s2");
	EXPECT(s1 && !strcmp(s1->program, "quickstart.p4") && !strcmp(s1->entries, "s1-entries.json"),
	       "s1 files");
	EXPECT(s1 && s1->log == LAB_LOG_NONE && s1->device_id == 1 && s1->n_ports == 3, "s1");
	EXPECT(s2 && s2->log == LAB_LOG_TRACE && s2->device_id == 16 && s2->n_ports == 1, "s2");
	EXPECT(!strcmp(lab->switch_netns, "p4lab-quick"), "switch netns %s", lab->switch_netns);
	struct lab_link *l = lab->links[2];
	EXPECT(l->rate_bps == 2500000000ull && lab->links[0]->rate_bps == 0, "rate %llu",
	       (unsigned long long)l->rate_bps);
	EXPECT(l->line == 18 && l->ep[0].sw == s1 && l->ep[0].port == 3 &&
	       !strcmp(l->ep[0].ifname, "s1-eth3") && l->ep[1].sw == s2 && l->ep[1].port == 0 &&
	       !strcmp(l->ep[1].ifname, "s2-eth0"), "link 3");
	char *p = lab_path(lab, s1->program), *q = lab_path(lab, s2->program);
	EXPECT(p && !strcmp(p, "dir/quickstart.p4"), "relative path %s", p);
	EXPECT(q && !strcmp(q, "/abs/fwd.json"), "absolute path %s", q);
	free(p);
	free(q);
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	lab_print_links(lab, f);
	fclose(f);
	EXPECT(!strcmp(out, "h1:eth0 <-> s1:1 (s1-eth1)\nh2:eth0 <-> s1:2 (s1-eth2)\n"
			    "s1:3 (s1-eth3) <-> s2:0 (s2-eth0), rate 2500mbit\n"), "links printed:\n%s", out);
	free(out);
	lab_free(lab);
}

static void test_defaults(void)
{
	struct p4l_err err;
	/* Named after the file; interface names: explicit ones kept, the others
	 * eth0, eth1... skipping those; a long switch name gets the short form. */
	struct lab *lab = load("some/where/my-lab.yml",
		"hosts:\n"
		"  a: {ip: 192.168.1.1/30}\n"
		"  b:\n"
		"switches:\n"
		"  averyveryverylongname: {program: x.json}\n"
		"links:\n"
		"  - endpoints: [a, b]\n"
		"  - endpoints: [\"a:eth0\", \"averyveryverylongname:7\"]\n"
		"  - endpoints: [a, \"b:uplink\"]\n", &err);
	EXPECT(lab, "defaults: %s", err.msg);
	if (!lab)
		return;
	EXPECT(!strcmp(lab->name, "my-lab"), "default name %s", lab->name);
	struct lab_host *a = lab_find_host(lab, "a"), *b = lab_find_host(lab, "b");
	EXPECT(!strcmp(lab->links[0]->ep[0].ifname, "eth1"), "a first link %s",
	       lab->links[0]->ep[0].ifname);
	EXPECT(!strcmp(lab->links[2]->ep[0].ifname, "eth2"), "a third link");
	EXPECT(!strcmp(a->main_if, "eth1") && a->n_ifs == 3, "a main if %s", a->main_if);
	EXPECT(!strcmp(b->main_if, "eth0") && !b->has_ip && b->n_ifs == 2, "b");
	EXPECT(!strcmp(lab->links[1]->ep[1].ifname, "sw.0.7"), "long switch ifname %s",
	       lab->links[1]->ep[1].ifname);
	lab_free(lab);
}

static void test_calls(void)
{
	struct p4l_err err = { 0 };
	struct lab *lab = lab_new("built", &err);
	struct lab_host *h;
	struct lab_switch *sw;
	EXPECT(lab, "lab_new");
	EXPECT(lab_add_host(lab, "h1", &h, &err) == 0 && lab_host_set_ip(h, "10.1.0.1/16", &err) == 0,
	       "h1");
	EXPECT(lab_add_switch(lab, "s1", "p.json", &sw, &err) == 0, "s1");
	EXPECT(lab_add_link(lab, "h1", "s1:5", NULL, &err) == 0, "link");
	EXPECT(lab_finalize(lab, &err) == 0, "finalize: %s", err.msg);
	EXPECT(lab_add_host(lab, "s1", NULL, &err) == -EEXIST &&
	       !strcmp(err.msg, "duplicate node name 's1'"), "duplicate by call: %s", err.msg);
	EXPECT(lab_add_host(lab, "exit", NULL, &err) == -EINVAL &&
	       !strcmp(err.msg, "'exit' is a shell command and cannot name a node"), "%s", err.msg);
	EXPECT(lab_host_set_mac(h, "zz:00:00:00:00:00", &err) == -EINVAL, "bad mac by call");
	/* Checks made by finalize name the lab when there is no file. */
	EXPECT(lab_add_link(lab, "h1", "s2:1", NULL, &err) == 0, "link to s2");
	EXPECT(lab_finalize(lab, &err) == -ENOENT &&
	       !strcmp(err.msg, "lab 'built': link endpoint 's2:1': no node named 's2'"),
	       "finalize by call: %s", err.msg);
	lab_free(lab);
	lab_free(NULL);
}

static const struct {
	const char *path, *yaml, *msg;
} bad[] = {
	{ "t.yaml", "", "t.yaml: the lab file is empty" },
	{ "t.yaml", "hosts: [\n", NULL /* syntax: checked by prefix below */ },
	{ "t.yaml", "- a\n- b\n", "t.yaml:1: expected a mapping with name, hosts, switches and links" },
	{ "t.yaml", "name: x\nhostz: {}\n",
	  "t.yaml:2: unknown key 'hostz' (expected name, hosts, switches or links)" },
	{ "t.yaml", "name: x\nname: y\n", "t.yaml:2: 'name' is given twice (first at line 1)" },
	{ "t.yaml", "name: bad name\n",
	  "t.yaml:1: 'bad name' is not a valid lab name (1 to 32 letters, digits, '_' or '-', "
	  "starting with a letter or digit)" },
	{ "dir/bad.name.yaml", "hosts:\n",
	  "dir/bad.name.yaml: the file name 'bad.name' is not a valid lab name; give the lab a name" },
	{ "t.yaml", "hosts:\n  h1: {ipp: 10.0.0.1/24}\n",
	  "t.yaml:2: host 'h1': unknown key 'ipp' (expected ip, mac, gateway, gateway_mac)" },
	{ "t.yaml", "hosts:\n  h1:\n    ip: 10.0.0.300/24\n",
	  "t.yaml:3: host 'h1': ip: '10.0.0.300/24' is not an IPv4 address with a prefix length "
	  "(like 10.0.0.1/24)" },
	{ "t.yaml", "hosts:\n  h1: {ip: 10.0.0.1}\n",
	  "t.yaml:2: host 'h1': ip: '10.0.0.1' is not an IPv4 address with a prefix length "
	  "(like 10.0.0.1/24)" },
	{ "t.yaml", "hosts:\n  h1: {ip: 10.0.0.1/33}\n",
	  "t.yaml:2: host 'h1': ip: '10.0.0.1/33' is not an IPv4 address with a prefix length "
	  "(like 10.0.0.1/24)" },
	{ "t.yaml", "hosts:\n  h1: {ip: [10.0.0.1/24]}\n",
	  "t.yaml:2: host 'h1': ip: expected a single value, not a list" },
	{ "t.yaml", "hosts:\n  h1: {mac: \"00:00:0a:00:00\"}\n",
	  "t.yaml:2: host 'h1': mac: '00:00:0a:00:00' is not a MAC address (like 00:00:0a:00:00:01)" },
	{ "t.yaml", "hosts:\n  h1: {mac: \"01:00:0a:00:00:01\"}\n",
	  "t.yaml:2: host 'h1': mac: '01:00:0a:00:00:01' is a multicast address" },
	{ "t.yaml", "hosts:\n  h1: {gateway: 10.0.0}\n",
	  "t.yaml:2: host 'h1': gateway: '10.0.0' is not an IPv4 address" },
	{ "t.yaml", "hosts:\n  h1: [1, 2]\n", "t.yaml:2: host 'h1': expected a mapping (key: value lines)" },
	{ "t.yaml", "hosts:\n  h1: {}\n  h1: {}\n", "t.yaml:3: 'h1' is given twice (first at line 2)" },
	{ "t.yaml", "hosts:\n  h 1: {}\n",
	  "t.yaml:2: 'h 1' is not a valid node name (1 to 32 letters, digits, '_' or '-', starting "
	  "with a letter or digit)" },
	{ "t.yaml", "hosts:\n  pingall: {}\n",
	  "t.yaml:2: 'pingall' is a shell command and cannot name a node" },
	{ "t.yaml", "hosts:\n  x1: {}\nswitches:\n  x1: {program: a.json}\n",
	  "t.yaml:4: duplicate node name 'x1'" },
	{ "t.yaml", "switches:\n  s1: {entries: e.json}\n", "t.yaml:2: switch 's1': missing 'program'" },
	{ "t.yaml", "switches:\n  s1:\n", "t.yaml:2: switch 's1': missing 'program'" },
	{ "t.yaml", "switches:\n  s1: {program: a.json, color: red}\n",
	  "t.yaml:2: switch 's1': unknown key 'color' (expected program, entries, p4info, log, "
	  "device_id, grpc_port, cpu_port)" },
	{ "t.yaml", "switches:\n  s1: {program: a.json, log: loud}\n",
	  "t.yaml:2: switch 's1': log: 'loud' is not a log level (trace or none)" },
	{ "t.yaml", "switches:\n  s1: {program: a.json, device_id: one}\n",
	  "t.yaml:2: switch 's1': device_id: 'one' is not a number" },
	{ "t.yaml", "switches:\n  s1: {program: \"\"}\n", "t.yaml:2: switch 's1': program: empty value" },
	{ "t.yaml", "links: {a: b}\n", "t.yaml:1: links: expected a list (- endpoints: [...] lines)" },
	{ "t.yaml", "links:\n  - [h1, h2]\n",
	  "t.yaml:2: link 1: expected a mapping like {endpoints: [\"h1\", \"s1:1\"]}" },
	{ "t.yaml", "links:\n  - {ends: [h1, h2]}\n",
	  "t.yaml:2: link 1: unknown key 'ends' (expected endpoints, rate)" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\nlinks:\n  - endpoints: [h1, h2]\n    rate: fast\n",
	  "t.yaml:6: link 1: rate: 'fast' is not a rate (like 100mbit, 1gbit, 500kbit)" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\nlinks:\n  - endpoints: [h1, h2]\n    rate: 100mbps\n",
	  "t.yaml:6: link 1: rate: '100mbps' is not a rate (like 100mbit, 1gbit, 500kbit)" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\nlinks:\n  - endpoints: [h1, h2]\n    rate: 1kbit\n",
	  "t.yaml:6: link 1: rate: '1kbit' is out of range (8kbit to 10000gbit)" },
	{ "t.yaml", "links:\n  - {endpoints: [h1, h2, h3]}\n",
	  "t.yaml:2: link 1: endpoints: expected a list of two ends like [\"h1\", \"s1:1\"]" },
	{ "t.yaml", "hosts:\n  h1:\nlinks:\n  - endpoints: [h1, \"s9:1\"]\n",
	  "t.yaml:4: link endpoint 's9:1': no node named 's9'" },
	{ "t.yaml", "hosts:\n  h1:\nswitches:\n  s1: {program: a.json}\nlinks:\n  - endpoints: [h1, s1]\n",
	  "t.yaml:6: link endpoint 's1': a switch end needs its port number ('s1:1')" },
	{ "t.yaml", "hosts:\n  h1:\nswitches:\n  s1: {program: a.json}\nlinks:\n  - endpoints: [h1, \"s1:x\"]\n",
	  "t.yaml:6: link endpoint 's1:x': 'x' is not a port number (0 to 510)" },
	{ "t.yaml", "hosts:\n  h1:\nswitches:\n  s1: {program: a.json}\nlinks:\n  - endpoints: [h1, \"s1:511\"]\n",
	  "t.yaml:6: link endpoint 's1:511': '511' is not a port number (0 to 510)" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\nswitches:\n  s1: {program: a.json}\nlinks:\n"
		    "  - endpoints: [h1, \"s1:1\"]\n  - endpoints: [h2, \"s1:1\"]\n",
	  "t.yaml:8: switch 's1' port 1 is already used by another link at line 7" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\n  h3:\nlinks:\n"
		    "  - endpoints: [\"h1:e1\", h2]\n  - endpoints: [\"h1:e1\", h3]\n",
	  "t.yaml:7: host 'h1' interface 'e1' is already used by another link at line 6" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\nlinks:\n  - endpoints: [\"h1:averyverylongname\", h2]\n",
	  "t.yaml:5: link endpoint 'h1:averyverylongname': 'averyverylongname' is not a valid "
	  "interface name (at most 15 characters)" },
	{ "t.yaml", "hosts:\n  h1:\n  h2:\n  h3:\nlinks:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:4: host 'h3' is on no link" },
	{ "t.yaml", "hosts:\n  h1: {ip: 10.0.0.1/24}\n  h2: {ip: 10.0.0.1/24}\nlinks:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:3: host 'h2': address 10.0.0.1 is already host 'h1''s" },
	{ "t.yaml", "hosts:\n  h1: {mac: \"00:00:00:00:00:01\"}\n  h2: {mac: \"00:00:00:00:00:01\"}\n"
		    "links:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:3: host 'h2': MAC 00:00:00:00:00:01 is already host 'h1''s" },
	{ "t.yaml", "hosts:\n  h1: {ip: 10.0.0.1/24, gateway: 10.0.1.1}\n  h2:\nlinks:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:2: host 'h1': gateway 10.0.1.1 is outside its subnet (/24)" },
	{ "t.yaml", "hosts:\n  h1: {gateway: 10.0.1.1}\n  h2:\nlinks:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:2: host 'h1': a gateway needs the host's own 'ip'" },
	{ "t.yaml", "hosts:\n  h1: {ip: 10.0.0.1/24, gateway_mac: \"00:00:00:00:00:09\"}\n  h2:\n"
		    "links:\n  - endpoints: [h1, h2]\n",
	  "t.yaml:2: host 'h1': gateway_mac without gateway" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct p4l_err err;
		struct lab *lab = load(bad[i].path, bad[i].yaml, &err);
		EXPECT(!lab, "bad[%zu] was accepted", i);
		lab_free(lab);
		if (bad[i].msg)
			EXPECT(!strcmp(err.msg, bad[i].msg), "bad[%zu]:\n  got:    %s\n  wanted: %s",
			       i, err.msg, bad[i].msg);
		else
			EXPECT(!strncmp(err.msg, "t.yaml:2:1: YAML syntax error: ", 31),
			       "bad[%zu] syntax: %s", i, err.msg);
		EXPECT(err.code < 0, "bad[%zu] code %d", i, err.code);
	}
}

static struct lab *load_tut(const char *text, const char *program, struct p4l_err *err)
{
	struct lab *lab = NULL;
	memset(err, 0, sizeof(*err));
	int rc = lab_load_tutorials("ex/topology.json", text, strlen(text), NULL, program, &lab, err);
	if (rc < 0 && lab)
		fprintf(stderr, "FAIL: a failed load returned a lab\n"), failures++;
	return lab;
}

static void test_tutorials(void)
{
	struct p4l_err err;
	struct lab *lab = load_tut(
		"{\"hosts\": {\"h1\": {\"ip\": \"10.0.1.1/24\", \"mac\": \"08:00:00:00:01:11\",\n"
		"  \"commands\": [\"route add default gw 10.0.1.10 dev eth0\",\n"
		"               \"arp -i eth0 -s 10.0.1.10 08:00:00:00:01:00\"]},\n"
		"  \"h2\": {\"ip\": \"10.0.2.2/24\", \"mac\": \"08:00:00:00:02:22\"}},\n"
		" \"switches\": {\"s1\": {\"runtime_json\": \"/abs/s1-runtime.json\"},\n"
		"              \"s2\": {\"program\": \"other.json\"}},\n"
		 " \"links\": [[\"h1\", \"s1-p1\"], [\"s1-p2\", \"s2-p3\", \"0ms\", 0], [\"h2\", \"s2-p1\", 0, 2.5]]}\n",
		"/prog/basic.p4", &err);
	EXPECT(lab, "tutorials topology: %s", err.msg);
	if (!lab)
		return;
	struct lab_host *h1 = lab_find_host(lab, "h1");
	struct lab_switch *s1 = lab_find_switch(lab, "s1"), *s2 = lab_find_switch(lab, "s2");
	EXPECT(!strcmp(lab->name, "topology"), "name %s", lab->name);
	EXPECT(h1->has_gw && !strcmp(ip_str(h1->gw), "10.0.1.10") && h1->has_gw_mac &&
	       h1->gw_mac[5] == 0 && h1->gw_mac[4] == 1, "h1 gateway from its commands");
	EXPECT(!strcmp(s1->program, "/prog/basic.p4") && !strcmp(s1->entries, "/abs/s1-runtime.json"),
	       "s1 program and entries");
	EXPECT(!strcmp(s2->program, "other.json") && !s2->entries, "s2's own program");
	EXPECT(lab->links[1]->ep[0].sw == s1 && lab->links[1]->ep[0].port == 2 &&
	       lab->links[1]->ep[1].sw == s2 && lab->links[1]->ep[1].port == 3, "s1-p2 <-> s2-p3");
	EXPECT(lab->links[1]->rate_bps == 0 && lab->links[2]->rate_bps == 2500000,
	       "bandwidth 2.5 Mbit/s: %llu", (unsigned long long)lab->links[2]->rate_bps);
	lab_free(lab);

	static const struct { const char *json, *msg; } bad[] = {
		{ "{\"hosts\": {\n  \"h1\": }\n}",
		  "ex/topology.json:2:9: JSON: unexpected token near '}'" },
		{ "{\"hosts\": {}, \"hosts\": {}}",
		  "ex/topology.json:1:21: JSON: duplicate object key near '\"hosts\"'" },
		{ "[]", "ex/topology.json: expected an object with hosts, switches and links" },
		{ "{\"nodes\": {}}", "ex/topology.json: nodes: unknown key (expected hosts, switches or links)" },
		{ "{\"hosts\": {\"h1\": {\"ip\": \"10.0.1/24\"}}}",
		  "ex/topology.json: host 'h1': ip: '10.0.1/24' is not an IPv4 address "
		  "with a prefix length (like 10.0.0.1/24)" },
		{ "{\"hosts\": {\"h1\": {\"ip\": 7}}}", "ex/topology.json: hosts.h1.ip: expected a string" },
		{ "{\"hosts\": {\"h1\": {\"commands\": [\"ifconfig eth0 up\"]}}}",
		  "ex/topology.json: hosts.h1.commands[0]: 'ifconfig eth0 up' is not understood (p4lab "
		  "reads 'route add default gw IP dev IF' and 'arp -i IF -s IP MAC')" },
		{ "{\"hosts\": {\"h1\": {\"ip\": \"10.0.1.1/24\", \"commands\": "
		  "[\"arp -i eth0 -s 10.0.1.9 08:00:00:00:01:00\"]}}}",
		  "ex/topology.json: hosts.h1.commands: the ARP entry for 10.0.1.9 is not for the default "
		  "gateway (only the gateway's is supported)" },
		{ "{\"hosts\": {\"h1\": {\"gw\": 1}}}",
		  "ex/topology.json: hosts.h1.gw: unknown key (expected ip, mac or commands)" },
		{ "{\"switches\": {\"s1\": {}}}",
		  "ex/topology.json: switches.s1: no P4 program: give the switch a \"program\" or run "
		  "with --program" },
		{ "{\"switches\": {\"s1\": {\"cli_input\": \"s1-commands.txt\"}}}",
		  "ex/topology.json: switches.s1.cli_input: unknown key (expected runtime_json or program)" },
		{ "{\"hosts\": {\"h1\": {}, \"h2\": {}}, \"links\": [[\"h1\", \"h2\", \"5ms\", 0]]}",
		  "ex/topology.json: links[0]: link latency is not supported yet (only 0): this kernel "
		  "has no netem" },
		{ "{\"hosts\": {\"h1\": {}, \"h2\": {}}, \"links\": [[\"h1\", \"h2\", \"0ms\", \"fast\"]]}",
		  "ex/topology.json: links[0]: bandwidth: expected a number of Mbit/s" },
		{ "{\"links\": [[\"h1\"]]}",
		  "ex/topology.json: links[0]: expected [\"end\", \"end\"] or [\"end\", \"end\", latency, "
		  "bandwidth]" },
		{ "{\"hosts\": {\"h1\": {}}, \"links\": [[\"h1\", \"s9-p1\"]]}",
		  "ex/topology.json: link endpoint 's9-p1': no node named 's9-p1'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lab = load_tut(bad[i].json, NULL, &err);
		EXPECT(!lab, "tutorials bad[%zu] accepted", i);
		lab_free(lab);
		EXPECT(!strcmp(err.msg, bad[i].msg), "tutorials bad[%zu]:\n  got:    %s\n  wanted: %s",
		       i, err.msg, bad[i].msg);
	}
}

static void test_files(const char *dir)
{
	struct p4l_err err = { 0 };
	struct lab *lab = NULL;
	char path[4096];
	EXPECT(lab_load_file("/nonexistent/lab.yaml", NULL, NULL, &lab, &err) == -ENOENT &&
	       !strcmp(err.msg, "/nonexistent/lab.yaml: No such file or directory"), "%s", err.msg);
	/* The quick start's own lab file, renamed on the way in. */
	snprintf(path, sizeof(path), "%s/examples/quickstart/lab.yaml", dir);
	EXPECT(lab_load_file(path, "renamed", NULL, &lab, &err) == 0, "quickstart: %s", err.msg);
	if (lab) {
		EXPECT(!strcmp(lab->name, "renamed") && lab->n_hosts == 2 && lab->n_switches == 1 &&
		       lab->n_links == 2, "quickstart lab");
		EXPECT(!strcmp(lab->hosts[1]->netns, "p4lab-renamed.h2"), "renamed netns");
	}
	lab_free(lab);
}

int main(int argc, char **argv)
{
	test_quickstart();
	test_defaults();
	test_calls();
	test_bad();
	test_tutorials();
	if (argc > 1)
		test_files(argv[1]);
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	puts("PASS");
	return 0;
}
