/* diag.c - see diag.h. */
#include "diag.h"

#include <string.h>

void p4_diag_init(struct p4_diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
}

static const char *const level_names[] = { "error", "warning", "note" };

/* Prints the source line and a caret under loc->col; tabs in the line are
 * copied into the caret line so the caret stays aligned. */
static void print_caret(FILE *out, const struct p4_loc *loc)
{
	const char *s = loc->line_text, *e = s;

	while (*e && *e != '\n')
		e++;
	if (e > s && e[-1] == '\r')
		e--;
	fprintf(out, " %.*s\n ", (int)(e - s), s);
	for (uint32_t i = 1; i < loc->col && s + i - 1 < e; i++)
		fputc(s[i - 1] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

void p4_diag_report(struct p4_diag *d, enum p4_diag_level level,
		    const struct p4_loc *loc, const char *fmt, va_list ap)
{
	if (level == P4_DIAG_ERROR)
		d->n_errors++;
	else if (level == P4_DIAG_WARNING)
		d->n_warnings++;
	if (!d->out)
		return;
	if (loc && loc->file)
		fprintf(d->out, "%s:%u:%u: ", loc->file, loc->line, loc->col);
	fprintf(d->out, "%s: ", level_names[level]);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	if (loc && loc->line_text)
		print_caret(d->out, loc);
}

#define DIAG_FN(fn, level)                                                  \
	void fn(struct p4_diag *d, const struct p4_loc *loc, const char *fmt, ...) \
	{                                                                   \
		va_list ap;                                                 \
		va_start(ap, fmt);                                          \
		p4_diag_report(d, level, loc, fmt, ap);                     \
		va_end(ap);                                                 \
	}
DIAG_FN(p4_diag_error, P4_DIAG_ERROR)
DIAG_FN(p4_diag_warning, P4_DIAG_WARNING)
DIAG_FN(p4_diag_note, P4_DIAG_NOTE)
