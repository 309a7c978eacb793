/* p4c.h - p4lab's P4_16 compiler, as a library.
 *
 * P4_16 source (v1model) -> BMv2 JSON + P4Info.  Called by `p4lab compile`
 * (compile_cmd.c), by the STF runner (src/stf) and by the emulator, which
 * compiles each switch's program before starting the lab.
 *
 * Diagnostics (file:line:col: error: message, the source line, a caret) are
 * written to the `diag` stream as they are found; the compiler never prints
 * anywhere else and never exits.  An invalid program yields no output at all. */
#ifndef P4C_H
#define P4C_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct p4c_options {
	const char *const *include_dirs;  /* -I directories, searched before the bundled ones */
	size_t n_include_dirs;
	const char *const *defines;       /* -D NAME or NAME=VALUE */
	size_t n_defines;
};

struct p4c_output {
	char *bmv2_json;          /* NUL-terminated BMv2 JSON text */
	size_t bmv2_json_len;
	uint8_t *p4info_bin;      /* serialized p4.config.v1.P4Info */
	size_t p4info_bin_len;
	char *p4info_txt;         /* the same P4Info in protobuf text format */
	size_t p4info_txt_len;
};

/* Compiles the program at path.  Returns 0 and fills *out on success; returns
 * a negative errno (-EINVAL for an invalid program, after printing its
 * diagnostics to diag) and leaves *out zeroed on failure. */
int p4c_compile_file(const char *path, const struct p4c_options *opt,
		     struct p4c_output *out, FILE *diag);

/* Same, for a program held in memory; name is used in diagnostics. */
int p4c_compile_source(const char *name, const char *src, size_t len,
		       const struct p4c_options *opt, struct p4c_output *out, FILE *diag);

/* Frees what p4c_compile_* put in out (safe on a zeroed or freed output). */
void p4c_output_free(struct p4c_output *out);

#endif
