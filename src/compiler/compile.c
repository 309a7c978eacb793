/* compile.c - the compiler as a library (p4c.h): front end, lowering
 * (lower.c), then the two writers (bmv2.c, p4info_gen.c).  Called by
 * `p4lab compile`, the STF runner and the emulator. */
#include "p4c.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"
#include "ir.h"
#include "sema.h"

static int back_end(struct p4_program *prog, struct p4_diag *d, const char *name,
		    struct p4c_output *out)
{
	struct p4l_arena a;
	struct p4c_ir_program ir;
	struct p4l_err err = { 0 };
	int rc;

	p4l_arena_init(&a);
	rc = p4c_lower(prog, d, &a, name, &ir);
	if (rc == -ENOMEM)
		p4_diag_error(d, NULL, "out of memory");
	if (rc)
		goto out;
	rc = p4c_bmv2_write(&ir, &out->bmv2_json, &out->bmv2_json_len);
	if (rc) {
		p4_diag_error(d, NULL, "out of memory writing the BMv2 JSON");
		goto out;
	}
	rc = p4c_p4info_write(&ir, &out->p4info_bin, &out->p4info_bin_len,
			      &out->p4info_txt, &out->p4info_txt_len, &err);
	if (rc)
		p4_diag_error(d, NULL, "%s: P4Info: %s", name, err.msg);
out:
	p4l_arena_destroy(&a);
	if (rc) {
		p4c_output_free(out);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	return 0;
}

static int finish(struct p4_program *prog, struct p4_diag *d, const char *name,
		  struct p4c_output *out)
{
	memset(out, 0, sizeof(*out));
	if (!prog)
		return -EINVAL;
	int rc = d->n_errors ? -EINVAL : back_end(prog, d, name, out);
	p4_program_free(prog);
	return rc;
}

int p4c_compile_file(const char *path, const struct p4c_options *opt,
		     struct p4c_output *out, FILE *diag)
{
	struct p4_diag d;
	p4_diag_init(&d, diag);
	return finish(p4_parse_file(path, opt, &d), &d, path, out);
}

int p4c_compile_source(const char *name, const char *src, size_t len,
		       const struct p4c_options *opt, struct p4c_output *out, FILE *diag)
{
	struct p4_diag d;
	p4_diag_init(&d, diag);
	return finish(p4_parse_source(name, src, len, opt, &d), &d, name, out);
}

void p4c_output_free(struct p4c_output *out)
{
	if (!out)
		return;
	free(out->bmv2_json);
	free(out->p4info_bin);
	free(out->p4info_txt);
	memset(out, 0, sizeof(*out));
}
