/* num.h - the compiler's integers: constants of any P4 width up to
 * P4C_NUM_BITS, in two's complement.
 *
 * Used by constant folding (sema), by select/entry values and masks, and by
 * the writers, which print them as BMv2 hexstrings.  Arithmetic is done on the
 * full P4C_NUM_BITS (P4's arbitrary-precision `int`); p4c_num_trunc brings a
 * result back to bit<W>/int<W>. */
#ifndef P4C_NUM_H
#define P4C_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define P4C_NUM_WORDS 9                        /* 576 bits: bit<512> and headroom */
#define P4C_NUM_BITS (P4C_NUM_WORDS * 64)
#define P4C_NUM_MAX_WIDTH 512                  /* widest bit<W> the compiler takes */

struct p4c_num {
	uint64_t w[P4C_NUM_WORDS];  /* little-endian words, two's complement */
};

void p4c_num_from_u64(struct p4c_num *r, uint64_t v);
void p4c_num_from_i64(struct p4c_num *r, int64_t v);
/* Parses digits in base 2, 8, 10 or 16 (underscores allowed).  Returns 0, or
 * -ERANGE when the value does not fit in P4C_NUM_BITS - 1 bits, -EINVAL on a
 * bad digit. */
int p4c_num_parse(struct p4c_num *r, const char *digits, size_t len, int base);

bool p4c_num_is_neg(const struct p4c_num *a);
bool p4c_num_is_zero(const struct p4c_num *a);
int p4c_num_cmp(const struct p4c_num *a, const struct p4c_num *b);  /* signed */
bool p4c_num_fits_u64(const struct p4c_num *a);
uint64_t p4c_num_u64(const struct p4c_num *a);  /* low 64 bits */
/* Smallest W with 0 <= a < 2^W (a >= 0). */
int p4c_num_bits(const struct p4c_num *a);

void p4c_num_add(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_sub(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_mul(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
/* Truncating division and remainder; b must not be zero. */
void p4c_num_divmod(struct p4c_num *q, struct p4c_num *m,
		    const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_neg(struct p4c_num *r, const struct p4c_num *a);
void p4c_num_not(struct p4c_num *r, const struct p4c_num *a);
void p4c_num_and(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_or(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_xor(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b);
void p4c_num_shl(struct p4c_num *r, const struct p4c_num *a, unsigned n);
void p4c_num_shr(struct p4c_num *r, const struct p4c_num *a, unsigned n);  /* arithmetic */

/* Keeps the low width bits: zero-extended (bit<W>) or sign-extended (int<W>). */
void p4c_num_trunc(struct p4c_num *r, const struct p4c_num *a, int width, bool is_signed);
/* a with all bits in [lo, hi] extracted, shifted down (a slice a[hi:lo]). */
void p4c_num_slice(struct p4c_num *r, const struct p4c_num *a, int hi, int lo);
/* The value with the low width bits set. */
void p4c_num_ones(struct p4c_num *r, int width);

/* Writes "0x" and exactly 2*bytes hex digits of the low 8*bytes bits
 * (byte-padded BMv2 hexstr) into buf (at least 2*bytes + 3 chars). */
void p4c_num_hex(const struct p4c_num *a, int bytes, char *buf);
/* The low `bytes` bytes, big-endian (for P4Runtime-style byte strings). */
void p4c_num_bytes(const struct p4c_num *a, int bytes, uint8_t *out);
/* Decimal text (for messages), into buf of at least 180 chars. */
void p4c_num_dec(const struct p4c_num *a, char *buf, size_t size);

#endif
