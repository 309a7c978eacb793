/* load.c - reading a P4Info file, binary or text, by its name, and finding
 * message descriptors by name.  Used by the
 * switch and the STF runner to take the P4Info written next to a program's
 * BMv2 JSON (by p4lab's compiler or by p4c).  See p4info.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "file.h"
#include "p4info.h"
#include "p4/v1/p4runtime.pb-c.h"
#include "google/rpc/status.pb-c.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_text_name(const char *path)
{
	static const char *const text_suffixes[] = {
		".txt", ".txtpb", ".textproto", ".textpb", ".pbtxt",
	};
	for (size_t i = 0; i < sizeof text_suffixes / sizeof text_suffixes[0]; i++)
		if (ends_with(path, text_suffixes[i]))
			return 1;
	return 0;
}

int p4i_p4info_load(const char *path, P4__Config__V1__P4Info **out, struct p4l_err *err)
{
	char *data;
	size_t len;
	*out = NULL;
	int r = p4l_read_file(path, &data, &len, err);
	if (r < 0)
		return r;
	if (is_text_name(path)) {
		ProtobufCMessage *m;
		r = p4i_text_parse(&p4__config__v1__p4_info__descriptor, data, len, path, &m, err);
		if (r == 0)
			*out = (P4__Config__V1__P4Info *)m;
	} else {
		*out = p4__config__v1__p4_info__unpack(NULL, len, (const uint8_t *)data);
		if (!*out)
			r = p4l_errf(err, -EINVAL, "%s: not a binary P4Info (protobuf decoding "
				     "failed); a text P4Info needs a .txt or .txtpb name", path);
	}
	free(data);
	return r;
}

/* Messages a tool may name on its command line.  X(descriptor) */
#define P4I_MESSAGES(X)                                              \
	X(p4__config__v1__p4_info__descriptor)                       \
	X(p4__v1__write_request__descriptor)                         \
	X(p4__v1__write_response__descriptor)                        \
	X(p4__v1__read_request__descriptor)                          \
	X(p4__v1__read_response__descriptor)                         \
	X(p4__v1__update__descriptor)                                \
	X(p4__v1__entity__descriptor)                                \
	X(p4__v1__table_entry__descriptor)                           \
	X(p4__v1__stream_message_request__descriptor)                \
	X(p4__v1__stream_message_response__descriptor)               \
	X(p4__v1__set_forwarding_pipeline_config_request__descriptor) \
	X(p4__v1__get_forwarding_pipeline_config_request__descriptor) \
	X(p4__v1__get_forwarding_pipeline_config_response__descriptor) \
	X(p4__v1__forwarding_pipeline_config__descriptor)            \
	X(p4__v1__capabilities_request__descriptor)                  \
	X(p4__v1__capabilities_response__descriptor)                 \
	X(p4__v1__error__descriptor)                                 \
	X(google__rpc__status__descriptor)

const ProtobufCMessageDescriptor *p4i_message_descriptor(const char *full_name)
{
#define P4I_ENTRY(d) &d,
	static const ProtobufCMessageDescriptor *const all[] = { P4I_MESSAGES(P4I_ENTRY) };
#undef P4I_ENTRY
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(all[i]->name, full_name))
			return all[i];
	return NULL;
}
