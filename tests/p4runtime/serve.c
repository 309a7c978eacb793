/* serve.c - a P4Runtime server for the interop test (interop.py): compiles
 * RT.P4 into DIR/rt.json and DIR/rt.p4info.binpb, serves device 1 on a free
 * loopback port with no pipeline, prints the port, and stops when its stdin
 * closes.  Usage: serve RT.P4 DIR */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "file.h"
#include "p4c.h"
#include "p4rt_server.h"

int main(int argc, char **argv)
{
	struct p4c_output prog = { 0 };
	struct p4l_err err = { 0 };
	struct p4rts_server *s = NULL;
	char json[4096], info[4096], buf[64];
	if (argc != 3) {
		fprintf(stderr, "usage: serve RT.P4 DIR\n");
		return 2;
	}
	snprintf(json, sizeof(json), "%s/rt.json", argv[2]);
	snprintf(info, sizeof(info), "%s/rt.p4info.binpb", argv[2]);
	struct p4rts_config cfg = { .addr = "127.0.0.1:0", .device_id = 1 };
	if (p4c_compile_file(argv[1], NULL, &prog, stderr) < 0 ||
	    p4l_write_file(json, prog.bmv2_json, prog.bmv2_json_len, &err) < 0 ||
	    p4l_write_file(info, prog.p4info_bin, prog.p4info_bin_len, &err) < 0 ||
	    p4rts_start(&s, &cfg, &err) < 0) {
		fprintf(stderr, "serve: %s\n", err.msg);
		p4c_output_free(&prog);
		return 1;
	}
	printf("%d\n", p4rts_port(s));
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	p4rts_stop(s);
	p4c_output_free(&prog);
	return 0;
}
