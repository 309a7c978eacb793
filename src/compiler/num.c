/* num.c - see num.h.  Plain schoolbook arithmetic: constants are few and small. */
#include "num.h"

#include <errno.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

void p4c_num_from_u64(struct p4c_num *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->w[0] = v;
}

void p4c_num_from_i64(struct p4c_num *r, int64_t v)
{
	memset(r, v < 0 ? 0xff : 0, sizeof(*r));
	r->w[0] = (uint64_t)v;
}

bool p4c_num_is_neg(const struct p4c_num *a)
{
	return a->w[P4C_NUM_WORDS - 1] >> 63;
}

bool p4c_num_is_zero(const struct p4c_num *a)
{
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		if (a->w[i])
			return false;
	return true;
}

int p4c_num_cmp(const struct p4c_num *a, const struct p4c_num *b)
{
	bool na = p4c_num_is_neg(a), nb = p4c_num_is_neg(b);
	if (na != nb)
		return na ? -1 : 1;
	for (int i = P4C_NUM_WORDS - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

bool p4c_num_fits_u64(const struct p4c_num *a)
{
	for (int i = 1; i < P4C_NUM_WORDS; i++)
		if (a->w[i])
			return false;
	return true;
}

uint64_t p4c_num_u64(const struct p4c_num *a)
{
	return a->w[0];
}

int p4c_num_bits(const struct p4c_num *a)
{
	for (int i = P4C_NUM_WORDS - 1; i >= 0; i--)
		if (a->w[i])
			return i * 64 + 64 - __builtin_clzll(a->w[i]);
	return 0;
}

void p4c_num_add(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	uint64_t carry = 0;
	for (int i = 0; i < P4C_NUM_WORDS; i++) {
		u128 s = (u128)a->w[i] + b->w[i] + carry;
		r->w[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
}

void p4c_num_not(struct p4c_num *r, const struct p4c_num *a)
{
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		r->w[i] = ~a->w[i];
}

void p4c_num_neg(struct p4c_num *r, const struct p4c_num *a)
{
	struct p4c_num one;
	p4c_num_from_u64(&one, 1);
	p4c_num_not(r, a);
	p4c_num_add(r, r, &one);
}

void p4c_num_sub(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	struct p4c_num nb;
	p4c_num_neg(&nb, b);
	p4c_num_add(r, a, &nb);
}

void p4c_num_mul(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	struct p4c_num t;
	memset(&t, 0, sizeof(t));
	/* Two's complement multiplication modulo 2^P4C_NUM_BITS needs no signs. */
	for (int i = 0; i < P4C_NUM_WORDS; i++) {
		uint64_t carry = 0;
		for (int j = 0; i + j < P4C_NUM_WORDS; j++) {
			u128 p = (u128)a->w[i] * b->w[j] + t.w[i + j] + carry;
			t.w[i + j] = (uint64_t)p;
			carry = (uint64_t)(p >> 64);
		}
	}
	*r = t;
}

static void udivmod(struct p4c_num *q, struct p4c_num *m,
		    const struct p4c_num *a, const struct p4c_num *b)
{
	struct p4c_num qq, rr;
	memset(&qq, 0, sizeof(qq));
	memset(&rr, 0, sizeof(rr));
	for (int i = p4c_num_bits(a) - 1; i >= 0; i--) {
		p4c_num_shl(&rr, &rr, 1);
		rr.w[0] |= (a->w[i / 64] >> (i % 64)) & 1;
		if (p4c_num_cmp(&rr, b) >= 0) {
			p4c_num_sub(&rr, &rr, b);
			qq.w[i / 64] |= (uint64_t)1 << (i % 64);
		}
	}
	if (q)
		*q = qq;
	if (m)
		*m = rr;
}

void p4c_num_divmod(struct p4c_num *q, struct p4c_num *m,
		    const struct p4c_num *a, const struct p4c_num *b)
{
	struct p4c_num ua = *a, ub = *b, qq, mm;
	bool na = p4c_num_is_neg(a), nb = p4c_num_is_neg(b);
	if (na)
		p4c_num_neg(&ua, a);
	if (nb)
		p4c_num_neg(&ub, b);
	udivmod(&qq, &mm, &ua, &ub);
	if (na != nb)
		p4c_num_neg(&qq, &qq);
	if (na)
		p4c_num_neg(&mm, &mm);
	if (q)
		*q = qq;
	if (m)
		*m = mm;
}

void p4c_num_and(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		r->w[i] = a->w[i] & b->w[i];
}

void p4c_num_or(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		r->w[i] = a->w[i] | b->w[i];
}

void p4c_num_xor(struct p4c_num *r, const struct p4c_num *a, const struct p4c_num *b)
{
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		r->w[i] = a->w[i] ^ b->w[i];
}

void p4c_num_shl(struct p4c_num *r, const struct p4c_num *a, unsigned n)
{
	struct p4c_num t;
	memset(&t, 0, sizeof(t));
	if (n < P4C_NUM_BITS) {
		unsigned ws = n / 64, bs = n % 64;
		for (int i = P4C_NUM_WORDS - 1; i >= (int)ws; i--) {
			t.w[i] = a->w[i - ws] << bs;
			if (bs && i - (int)ws - 1 >= 0)
				t.w[i] |= a->w[i - ws - 1] >> (64 - bs);
		}
	}
	*r = t;
}

void p4c_num_shr(struct p4c_num *r, const struct p4c_num *a, unsigned n)
{
	struct p4c_num t;
	uint64_t fill = p4c_num_is_neg(a) ? ~(uint64_t)0 : 0;
	for (int i = 0; i < P4C_NUM_WORDS; i++)
		t.w[i] = fill;
	if (n < P4C_NUM_BITS) {
		unsigned ws = n / 64, bs = n % 64;
		for (int i = 0; i + (int)ws < P4C_NUM_WORDS; i++) {
			uint64_t hi = i + ws + 1 < P4C_NUM_WORDS ? a->w[i + ws + 1] : fill;
			t.w[i] = a->w[i + ws] >> bs;
			if (bs)
				t.w[i] |= hi << (64 - bs);
		}
	}
	*r = t;
}

void p4c_num_ones(struct p4c_num *r, int width)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < width && i < P4C_NUM_BITS; i++)
		r->w[i / 64] |= (uint64_t)1 << (i % 64);
}

void p4c_num_trunc(struct p4c_num *r, const struct p4c_num *a, int width, bool is_signed)
{
	struct p4c_num m;
	p4c_num_ones(&m, width);
	p4c_num_and(r, a, &m);
	if (is_signed && width > 0 && width < P4C_NUM_BITS &&
	    ((r->w[(width - 1) / 64] >> ((width - 1) % 64)) & 1)) {
		p4c_num_not(&m, &m);
		p4c_num_or(r, r, &m);
	}
}

void p4c_num_slice(struct p4c_num *r, const struct p4c_num *a, int hi, int lo)
{
	struct p4c_num t;
	memcpy(&t, a, sizeof(t));
	p4c_num_shr(&t, &t, (unsigned)lo);
	p4c_num_trunc(r, &t, hi - lo + 1, false);
}

int p4c_num_parse(struct p4c_num *r, const char *s, size_t len, int base)
{
	struct p4c_num b, d;
	memset(r, 0, sizeof(*r));
	p4c_num_from_u64(&b, (uint64_t)base);
	for (size_t i = 0; i < len; i++) {
		int c = s[i], v;
		if (c == '_')
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -EINVAL;
		if (v >= base)
			return -EINVAL;
		p4c_num_mul(r, r, &b);
		p4c_num_from_u64(&d, (uint64_t)v);
		p4c_num_add(r, r, &d);
		if (p4c_num_bits(r) > P4C_NUM_BITS - 2)
			return -ERANGE;
	}
	return 0;
}

void p4c_num_bytes(const struct p4c_num *a, int bytes, uint8_t *out)
{
	for (int i = 0; i < bytes; i++) {
		int bit = (bytes - 1 - i) * 8;
		out[i] = bit < P4C_NUM_BITS ? (uint8_t)(a->w[bit / 64] >> (bit % 64)) : 0;
	}
}

void p4c_num_hex(const struct p4c_num *a, int bytes, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	buf[0] = '0';
	buf[1] = 'x';
	for (int i = 0; i < bytes; i++) {
		int bit = (bytes - 1 - i) * 8;
		unsigned v = bit < P4C_NUM_BITS ? (unsigned)(a->w[bit / 64] >> (bit % 64)) & 0xff : 0;
		buf[2 + 2 * i] = hex[v >> 4];
		buf[3 + 2 * i] = hex[v & 15];
	}
	buf[2 + 2 * bytes] = '\0';
}

void p4c_num_dec(const struct p4c_num *a, char *buf, size_t size)
{
	char tmp[200];
	size_t n = 0;
	struct p4c_num v = *a, ten, digit;
	bool neg = p4c_num_is_neg(a);
	if (neg)
		p4c_num_neg(&v, a);
	p4c_num_from_u64(&ten, 10);
	do {
		udivmod(&v, &digit, &v, &ten);
		tmp[n++] = (char)('0' + digit.w[0]);
	} while (!p4c_num_is_zero(&v) && n < sizeof(tmp) - 2);
	if (neg)
		tmp[n++] = '-';
	size_t j = 0;
	while (n && j + 1 < size)
		buf[j++] = tmp[--n];
	buf[j] = '\0';
}
