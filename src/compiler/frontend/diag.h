/* diag.h - source-level diagnostics of the compiler.
 *
 * Used by every stage of the front end and by the back end (src/compiler).
 * A report prints, to the caller's FILE*:
 *     file:line:col: error: message
 *      <the source line>
 *          ^
 * and counts errors and warnings.  Locations come from the AST (struct
 * p4_loc); their source text stays alive as long as the program does. */
#ifndef P4_DIAG_H
#define P4_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "ast.h"

enum p4_diag_level { P4_DIAG_ERROR, P4_DIAG_WARNING, P4_DIAG_NOTE };

struct p4_diag {
	FILE *out;        /* where reports go; NULL: count only */
	int n_errors;
	int n_warnings;
};

void p4_diag_init(struct p4_diag *d, FILE *out);

/* loc may be NULL (a message without position, e.g. a file that cannot be
 * opened is reported by the caller with its own loc). */
void p4_diag_report(struct p4_diag *d, enum p4_diag_level level,
		    const struct p4_loc *loc, const char *fmt, va_list ap);
void p4_diag_error(struct p4_diag *d, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void p4_diag_warning(struct p4_diag *d, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void p4_diag_note(struct p4_diag *d, const struct p4_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
