/* frontend.h - the compiler's front end: preprocess, lex and parse a P4_16
 * program into the tree of ast.h.
 *
 * Called by the back end (src/compiler) and by tests/frontend.  Errors are
 * reported through a struct p4_diag (diag.h); a program with any syntax or
 * preprocessor error yields NULL. */
#ifndef P4_FRONTEND_H
#define P4_FRONTEND_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "p4c.h"

/* Parses the program at path (opt may be NULL: no -I, no -D).  Returns NULL
 * after reporting to diag on any error. */
struct p4_program *p4_parse_file(const char *path, const struct p4c_options *opt,
				 struct p4_diag *diag);

/* Same for a program in memory; name is the file name used in locations and
 * for resolving #include "x" (relative to name's folder). src need not be
 * NUL-terminated; it is copied. */
struct p4_program *p4_parse_source(const char *name, const char *src, size_t len,
				   const struct p4c_options *opt, struct p4_diag *diag);

/* Frees the program and everything in it (NULL is fine). */
void p4_program_free(struct p4_program *prog);

/* Interns a name in prog's table: equal strings give the same pointer, so
 * the result compares with == against node->name. */
const char *p4_intern(struct p4_program *prog, const char *s, size_t len);

/* Allocates zeroed memory that lives as long as prog (for the back end's
 * own annotations on nodes).  Returns NULL when out of memory. */
void *p4_program_alloc(struct p4_program *prog, size_t size);

/* Writes an indented dump of the tree, one node per line, for tests and
 * debugging.  Declarations coming from bundled include files are skipped
 * when skip_bundled is set. */
void p4_ast_dump(FILE *out, const struct p4_program *prog, int skip_bundled);

/* One node (and its children) at the given indent. */
void p4_ast_dump_node(FILE *out, const struct p4_node *n, int indent);

#endif
