/* test_fuzz.c - the text parser and printer on damaged input.
 *
 * Deterministic mutations (flipped, dropped, inserted bytes, truncation) of
 * valid texts and binaries, run under the sanitizers.  Properties: the parser
 * either succeeds or fails with "name:line:col: ..." and never crashes or
 * leaks; whatever parses prints to a text that parses back to the same text
 * (a fixpoint); any binary protobuf-c accepts prints to text that parses. */
#include <errno.h>
#include <stdlib.h>
#include "check.h"
#include "p4info.h"
#include "samples.h"
#include "p4/v1/p4runtime.pb-c.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)  /* xorshift64: reproducible across runs */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	static const char alphabet[] = "{}<>[]:;,-\"'\\#\n 0x7fe.tTrue_abcLPM";
	int edits = 1 + (int)(next_rand() % 4);
	for (int i = 0; i < edits && len > 0; i++) {
		size_t at = next_rand() % len;
		switch (next_rand() % 5) {
		case 0:
			buf[at] ^= (uint8_t)(1u << (next_rand() % 8));
			break;
		case 1:
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
			break;
		case 2:
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = (uint8_t)alphabet[next_rand() % (sizeof alphabet - 1)];
				len++;
			}
			break;
		case 3:
			buf[at] = (uint8_t)alphabet[next_rand() % (sizeof alphabet - 1)];
			break;
		default:
			len = at;
			break;
		}
	}
	return len;
}

/* Parse the text; on success check the print/parse fixpoint. */
static void try_text(const ProtobufCMessageDescriptor *d, const char *text, size_t len,
		     int *parsed)
{
	struct p4l_err err = {0};
	ProtobufCMessage *m;
	int r = p4i_text_parse(d, text, len, "fuzz", &m, &err);
	if (r < 0) {
		int line, col, n = 0;
		CHECK(r == -EINVAL);
		CHECK(m == NULL);
		CHECK(sscanf(err.msg, "fuzz:%d:%d: %n", &line, &col, &n) == 2 && n > 0 &&
		      line >= 1 && col >= 1);
		return;
	}
	(*parsed)++;
	char *t1 = NULL, *t2 = NULL;
	ProtobufCMessage *m2 = NULL;
	CHECK(p4i_text_print(m, &t1, NULL, &err) == 0);
	CHECK(t1 && p4i_text_parse(d, t1, strlen(t1), "fuzz-again", &m2, &err) == 0);
	CHECK(m2 && p4i_text_print(m2, &t2, NULL, &err) == 0);
	if (t1 && t2)
		CHECK_STR(t2, t1);
	protobuf_c_message_free_unpacked(m, NULL);
	if (m2)
		protobuf_c_message_free_unpacked(m2, NULL);
	free(t1);
	free(t2);
}

static void fuzz_text(const char *sample, const ProtobufCMessageDescriptor *d, int rounds)
{
	struct p4l_err err = {0};
	uint8_t *bin;
	size_t len;
	char *txt;
	int parsed = 0;
	CHECK(sample_binary(sample, &bin, &len, &err) == 0);
	ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, len, bin);
	CHECK(m && p4i_text_print(m, &txt, NULL, &err) == 0);
	size_t tlen = strlen(txt), cap = tlen + 64;
	uint8_t *work = malloc(cap);
	for (int i = 0; i < rounds; i++) {
		memcpy(work, txt, tlen);
		size_t n = mutate(work, tlen, cap);
		try_text(d, (const char *)work, n, &parsed);
	}
	/* Some mutations must leave valid text, or the fixpoint is untested. */
	CHECK(parsed > rounds / 50);
	printf("%s text: %d of %d mutants parsed\n", sample, parsed, rounds);
	free(work);
	free(txt);
	free(bin);
	protobuf_c_message_free_unpacked(m, NULL);
}

static void fuzz_binary(const char *sample, const ProtobufCMessageDescriptor *d, int rounds)
{
	struct p4l_err err = {0};
	uint8_t *bin;
	size_t len;
	int decoded = 0, parsed = 0;
	CHECK(sample_binary(sample, &bin, &len, &err) == 0);
	uint8_t *work = malloc(len + 64);
	for (int i = 0; i < rounds; i++) {
		memcpy(work, bin, len);
		size_t n = mutate(work, len, len + 64);
		ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, n, work);
		if (!m)
			continue;
		decoded++;
		char *txt;
		CHECK(p4i_text_print(m, &txt, NULL, &err) == 0);
		try_text(d, txt, strlen(txt), &parsed);
		free(txt);
		protobuf_c_message_free_unpacked(m, NULL);
	}
	CHECK(parsed == decoded);  /* everything printed must parse */
	printf("%s binary: %d of %d mutants decoded, all printed and parsed\n",
	       sample, decoded, rounds);
	free(work);
	free(bin);
}

int main(void)
{
	fuzz_text("p4info", &p4__config__v1__p4_info__descriptor, 6000);
	fuzz_text("write", &p4__v1__write_request__descriptor, 6000);
	fuzz_text("maps", &p4__config__v1__p4_info__descriptor, 3000);
	fuzz_binary("p4info", &p4__config__v1__p4_info__descriptor, 6000);
	fuzz_binary("write", &p4__v1__write_request__descriptor, 6000);
	fuzz_binary("digest", &p4__v1__stream_message_response__descriptor, 3000);
	return CHECK_DONE();
}
