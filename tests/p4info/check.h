/* check.h - the p4info tests' assertions: report file:line and keep going,
 * exit status says whether anything failed. */
#ifndef P4I_TEST_CHECK_H
#define P4I_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond) do {                                                     \
	if (!(cond)) {                                                       \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures++;                                            \
	}                                                                    \
} while (0)

#define CHECK_EQ_U(a, b) do {                                                \
	unsigned long long a_ = (a), b_ = (b);                               \
	if (a_ != b_) {                                                      \
		fprintf(stderr, "%s:%d: %s is %llu (0x%llx), expected %llu (0x%llx)\n", \
			__FILE__, __LINE__, #a, a_, a_, b_, b_);             \
		check_failures++;                                            \
	}                                                                    \
} while (0)

#define CHECK_STR(a, b) do {                                                 \
	const char *a_ = (a), *b_ = (b);                                     \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) {                             \
		fprintf(stderr, "%s:%d: %s is\n  \"%s\"\nexpected\n  \"%s\"\n", \
			__FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		check_failures++;                                            \
	}                                                                    \
} while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", \
	check_failures), 1) : 0)

#endif
