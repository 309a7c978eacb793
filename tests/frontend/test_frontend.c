/* test_frontend.c - unit tests of the front end's API (frontend.h, diag.h):
 * parsing from memory, interned names, exact integer literals, locations
 * (also after #line and inside included files), -D defines, the exact
 * text of a diagnostic with its caret, warnings, and the time a
 * tutorial-sized program takes to parse (printed, not asserted). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend.h"

static int failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                          \
		}                                                            \
	} while (0)

static struct p4_program *parse(const char *src, struct p4_diag *d, FILE *out)
{
	p4_diag_init(d, out);
	return p4_parse_source("mem.p4", src, strlen(src), NULL, d);
}

/* The last top-level declaration (the bundled ones come first). */
static const struct p4_node *last_decl(const struct p4_program *prog)
{
	return prog->decls.n ? prog->decls.v[prog->decls.n - 1] : NULL;
}

static void test_names_and_ints(void)
{
	struct p4_diag d;
	struct p4_program *prog = parse(
		"const bit<128> A = 0x1_0000_0000_0000_0000;\n"
		"const int B = 18446744073709551616;\n"
		"const int<8> C = 8s0b1111;\n"
		"const bit<8> A2 = 255;\n", &d, stderr);
	CHECK(prog);
	if (!prog)
		return;
	CHECK(prog->decls.n == 4);
	const struct p4_node *a = prog->decls.v[0], *b = prog->decls.v[1];
	const struct p4_node *c = prog->decls.v[2], *a2 = prog->decls.v[3];
	CHECK(a->kind == P4_DECL_CONST && a->name == p4_intern(prog, "A", 1));
	CHECK(a->u.var.type->kind == P4_TYPE_BIT);
	CHECK(a->u.var.type->u.bits.width->u.intlit.limbs[0] == 128);
	const struct p4_int *ia = &a->u.var.init->u.intlit, *ib = &b->u.var.init->u.intlit;
	CHECK(ia->nlimbs == 2 && ia->limbs[0] == 0 && ia->limbs[1] == 1 && ia->base == 16);
	CHECK(ib->nlimbs == 2 && ib->limbs[0] == 0 && ib->limbs[1] == 1 && ib->base == 10);
	CHECK(!ia->has_width && !strcmp(ia->text, "0x1_0000_0000_0000_0000"));
	const struct p4_int *ic = &c->u.var.init->u.intlit;
	CHECK(ic->has_width && ic->is_signed && ic->width == 8 && ic->limbs[0] == 15);
	CHECK(a2->u.var.init->u.intlit.limbs[0] == 255);
	CHECK(b->u.var.type->kind == P4_TYPE_INT && !b->u.var.type->u.bits.width);
	/* locations: line and column of the first token, the line's text */
	CHECK(c->loc.line == 3 && c->loc.col == 1 && !strcmp(c->loc.file, "mem.p4"));
	CHECK(!strncmp(c->loc.line_text, "const int<8> C", 14));
	CHECK(c->u.var.init->loc.line == 3 && c->u.var.init->loc.col == 18);
	/* names are interned: equal text, equal pointer */
	CHECK(p4_intern(prog, "A2", 2) == a2->name);
	CHECK(p4_intern(prog, "A2", 1) == a->name);
	/* the back end's room starts zeroed */
	CHECK(!a->sema && !a->ref_decl && !a->ref_type && !a->sema_flags);
	CHECK(p4_program_alloc(prog, 100) != NULL);
	p4_program_free(prog);
}

static void test_diagnostic_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct p4_diag d;
	struct p4_program *prog = parse("const bit<8> X = 1;\n\tconst bit<8> Y = 2\n", &d, out);
	fclose(out);
	CHECK(!prog);
	CHECK(d.n_errors == 1);
	const char *want =
		"mem.p4:2:20: error: expected ';' after the declaration of 'Y'\n"
		" \tconst bit<8> Y = 2\n"
		" \t                  ^\n";
	CHECK(buf && !strcmp(buf, want));
	if (buf && strcmp(buf, want))
		fprintf(stderr, "got:\n%s", buf);
	free(buf);
}

static void test_line_and_include_locations(void)
{
	struct p4_diag d;
	struct p4_program *prog = parse(
		"#include <core.p4>\n"
		"#line 40 \"orig.p4\"\n"
		"const bit<8> X = 1;\n", &d, stderr);
	CHECK(prog);
	if (!prog)
		return;
	const struct p4_node *x = last_decl(prog);
	CHECK(x->loc.line == 40 && !strcmp(x->loc.file, "orig.p4"));
	/* declarations of the bundled file say where they come from */
	const struct p4_node *first = prog->decls.v[0];
	CHECK(first->kind == P4_DECL_ERROR && !strcmp(first->loc.file, "p4include/core.p4"));
	CHECK(first->u.enm.members.n == 7);
	p4_program_free(prog);
}

static void test_defines(void)
{
	const char *defs[] = { "W=16", "FLAG" };
	struct p4c_options opt = { NULL, 0, defs, 2 };
	struct p4_diag d;
	const char *src = "#if FLAG\nconst bit<W> X = W;\n#endif\n";
	p4_diag_init(&d, stderr);
	struct p4_program *prog = p4_parse_source("def.p4", src, strlen(src), &opt, &d);
	CHECK(prog && prog->decls.n == 1);
	if (prog) {
		const struct p4_node *x = prog->decls.v[0];
		CHECK(x->u.var.init->u.intlit.limbs[0] == 16);
		/* a token from a macro is placed at the macro's use */
		CHECK(x->u.var.init->loc.line == 2 && x->u.var.init->loc.col == 18);
	}
	p4_program_free(prog);
}

static void test_warnings_and_missing_file(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct p4_diag d;
	struct p4_program *prog = parse("#pragma weird\n#warning careful\nconst bool B = true;\n", &d, out);
	CHECK(prog && d.n_warnings == 2 && d.n_errors == 0);
	p4_program_free(prog);
	p4_diag_init(&d, out);
	prog = p4_parse_file("/nonexistent/dir/x.p4", NULL, &d);
	fclose(out);
	CHECK(!prog && d.n_errors == 1);
	CHECK(buf && strstr(buf, "warning: ignoring #pragma"));
	CHECK(buf && strstr(buf, "warning: #warning careful"));
	CHECK(buf && strstr(buf, "error: /nonexistent/dir/x.p4: No such file or directory"));
	free(buf);
	p4_program_free(NULL);
}

/* One error per broken declaration; the good ones between are parsed. */
static void test_several_errors(void)
{
	struct p4_diag d;
	struct p4_program *prog = parse(
		"header h_t { bit<8> a bit<8> b; }\n"
		"const bit<8> OK = 1;\n"
		"control C(inout h_t h) {\n"
		"    apply { h.a = ; }\n"
		"}\n"
		"action a() { exit }\n"
		"const bit<8> OK2 = 2;\n", &d, NULL);
	CHECK(!prog && d.n_errors == 3);
}

static void test_nul_byte(void)
{
	struct p4_diag d;
	p4_diag_init(&d, NULL);
	struct p4_program *prog = p4_parse_source("nul.p4", "const bool B = true;\0x", 22, NULL, &d);
	CHECK(!prog && d.n_errors == 1);
}

/* Times a tutorial-sized program; the front end must take a small part of
 * the 20 ms a whole compilation may take.  Printed for the report. */
static void time_program(const char *path)
{
	struct p4_diag d;
	struct timespec a, b;
	int n = 50;
	p4_diag_init(&d, stderr);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++) {
		struct p4_program *prog = p4_parse_file(path, NULL, &d);
		CHECK(prog);
		p4_program_free(prog);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / n;
	printf("parse %s (with v1model.p4): %.3f ms\n", path, ms);
}

int main(int argc, char **argv)
{
	test_names_and_ints();
	test_diagnostic_text();
	test_line_and_include_locations();
	test_defines();
	test_warnings_and_missing_file();
	test_nul_byte();
	test_several_errors();
	if (argc > 1)
		time_program(argv[1]);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("test_frontend: all checks passed\n");
	return failures ? 1 : 0;
}
