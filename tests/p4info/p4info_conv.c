/* p4info_conv.c - test helper: converts protobuf messages between binary and
 * text with the p4info module, and writes sample messages, so that
 * protoc_interop.sh can hold p4lab's printer and parser against protoc's.
 *
 *   p4info-conv print TYPE    binary on stdin -> text on stdout
 *   p4info-conv parse TYPE    text on stdin -> canonical binary on stdout
 *   p4info-conv sample NAME   a sample message (p4info, write, stream, digest, maps)
 *                             in binary on stdout */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "p4info.h"
#include "p4/v1/p4runtime.pb-c.h"
#include "samples.h"

static int read_all(FILE *f, uint8_t **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: p4info-conv print|parse TYPE | sample p4info|write|stream|digest|maps\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct p4l_err err = {0};
	uint8_t *in = NULL, *bin = NULL;
	size_t in_len = 0, bin_len = 0;
	char *txt = NULL;
	int r, status = 1;

	if (argc != 3)
		return usage();

	if (!strcmp(argv[1], "sample")) {
		r = sample_binary(argv[2], &bin, &bin_len, &err);
		if (r < 0)
			goto fail;
		fwrite(bin, 1, bin_len, stdout);
		free(bin);
		return 0;
	}

	const ProtobufCMessageDescriptor *d = p4i_message_descriptor(argv[2]);
	if (!d) {
		fprintf(stderr, "p4info-conv: unknown message type '%s'\n", argv[2]);
		return 2;
	}
	if (read_all(stdin, &in, &in_len) < 0) {
		fprintf(stderr, "p4info-conv: out of memory\n");
		return 1;
	}
	if (!strcmp(argv[1], "print")) {
		ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, in_len, in);
		if (!m) {
			fprintf(stderr, "p4info-conv: stdin is not a binary %s\n", d->name);
			goto out;
		}
		r = p4i_text_print(m, &txt, NULL, &err);
		protobuf_c_message_free_unpacked(m, NULL);
		if (r < 0)
			goto fail;
		fputs(txt, stdout);
	} else if (!strcmp(argv[1], "parse")) {
		r = p4i_text_to_binary(d, (const char *)in, in_len, "<stdin>", &bin, &bin_len, &err);
		if (r < 0)
			goto fail;
		fwrite(bin, 1, bin_len, stdout);
	} else {
		status = usage();
		goto out;
	}
	status = 0;
	goto out;
fail:
	fprintf(stderr, "p4info-conv: %s\n", err.msg);
out:
	free(in);
	free(bin);
	free(txt);
	return status;
}
