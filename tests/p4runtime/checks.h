/* checks.h - the check macros of the P4Runtime test programs (one per test
 * executable; each is a single file that includes this once).
 *
 * CHECK(cond) counts a failure when cond is false; OK(expr) when expr is
 * negative (printing err, the last error); FAILS(expr, e, frag) unless expr
 * fails with -e and a message containing frag.  Every report names the test
 * running (cur_test) and the line. */
#ifndef P4RT_TEST_CHECKS_H
#define P4RT_TEST_CHECKS_H

#include <stdio.h>
#include <string.h>

#include "error.h"

static int failures;
static const char *cur_test;
static struct p4l_err err;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__,   \
				__LINE__, cur_test, #cond);                           \
			failures++;                                                   \
		}                                                                     \
	} while (0)

#define OK(expr)                                                                      \
	do {                                                                          \
		int ok_r_ = (expr);                                                   \
		if (ok_r_ < 0) {                                                      \
			fprintf(stderr, "%s:%d: [%s] %s = %d: %s\n", __FILE__,        \
				__LINE__, cur_test, #expr, ok_r_, err.msg);           \
			failures++;                                                   \
		}                                                                     \
	} while (0)

#define FAILS(expr, e, frag)                                                          \
	do {                                                                          \
		memset(&err, 0, sizeof(err));                                         \
		int f_r_ = (expr);                                                    \
		if (f_r_ != -(e) || !strstr(err.msg, (frag))) {                       \
			fprintf(stderr, "%s:%d: [%s] %s = %d (want %d), message "     \
				"'%s' (want '%s')\n", __FILE__, __LINE__, cur_test,   \
				#expr, f_r_, -(e), err.msg, frag);                    \
			failures++;                                                   \
		}                                                                     \
	} while (0)

#endif
