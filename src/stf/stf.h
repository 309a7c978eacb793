/* stf.h - the STF packet-test runner (prefix stf_).
 *
 * Runs a test in p4c's STF format against a switch (src/switch) on in-memory
 * ports.  Used by `p4lab stf` (stf_cmd.c) and by the tests. */
#ifndef STF_H
#define STF_H

#include <stdio.h>

#include "error.h"
#include "switch.h"

/* Runs the test at path (text already read: src, len) against sw, attaching
 * in-memory ports for every port the test names.  Returns 0 when every
 * expectation holds, 1 when some do not (a readable diff is written to
 * report), or a negative errno for a malformed test or a failed table write
 * (err says where: "test.stf:12: ..."). */
int stf_run(struct sw_switch *sw, const char *path, const char *src, size_t len,
	    FILE *report, struct p4l_err *err);

#endif
