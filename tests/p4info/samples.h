/* samples.h - sample messages shared by the p4info tests: a P4Info that
 * touches every kind of object and a few P4Runtime messages with awkward
 * values (all byte values, 64-bit extremes, oneof members set to zero). */
#ifndef P4I_TEST_SAMPLES_H
#define P4I_TEST_SAMPLES_H

#include <stddef.h>
#include <stdint.h>
#include "p4info.h"

/* Fills a fresh builder with the sample P4Info (ids from p4i_ids). */
int sample_p4info(struct p4i_builder *b, struct p4l_err *err);

/* Sample name ("p4info", "write", "stream", "digest", "maps") -> packed binary
 * (*out: free()). */
int sample_binary(const char *name, uint8_t **out, size_t *len, struct p4l_err *err);

#endif
