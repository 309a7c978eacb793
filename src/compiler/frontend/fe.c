/* fe.c - the front end's entry points (frontend.h): read the file, run the
 * preprocessor and the parser, own the program's arena and intern table. */
#include "fe.h"
#include "frontend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

static uint32_t hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static const char *const keyword_names[] = {
#define X(n, s) s,
	P4_KEYWORDS(X)
#undef X
};

static int grow_names(struct p4_fe *fe)
{
	size_t cap = fe->names.cap ? fe->names.cap * 2 : 1024;
	struct intern_ent *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < fe->names.cap; i++) {
		struct intern_ent *e = &fe->names.v[i];
		if (!e->s)
			continue;
		size_t j = e->hash & (cap - 1);
		while (v[j].s)
			j = (j + 1) & (cap - 1);
		v[j] = *e;
	}
	free(fe->names.v);
	fe->names.v = v;
	fe->names.cap = cap;
	return 0;
}

/* Returns the interned copy of s (NULL when out of memory); *kind (may be
 * NULL) gets T_IDENT or the keyword's token kind. */
const char *p4_fe_intern(struct p4_fe *fe, const char *s, size_t len, int *kind)
{
	uint32_t h = hash_str(s, len);

	if (fe->names.n * 2 >= fe->names.cap && grow_names(fe) < 0)
		goto oom;
	size_t mask = fe->names.cap - 1, i = h & mask;
	for (;; i = (i + 1) & mask) {
		struct intern_ent *e = &fe->names.v[i];
		if (!e->s)
			break;
		if (e->hash == h && e->len == len && !memcmp(e->s, s, len)) {
			if (kind)
				*kind = e->kind;
			return e->s;
		}
	}
	char *copy = p4l_arena_strndup(fe->arena, s, len);
	if (!copy)
		goto oom;
	fe->names.v[i] = (struct intern_ent){ copy, (uint32_t)len, h, T_IDENT };
	fe->names.n++;
	if (kind)
		*kind = T_IDENT;
	return copy;
oom:
	fe->oom = true;
	return NULL;
}

static int intern_keywords(struct p4_fe *fe)
{
	for (size_t k = 0; k < sizeof(keyword_names) / sizeof(*keyword_names); k++) {
		const char *s = p4_fe_intern(fe, keyword_names[k], strlen(keyword_names[k]), NULL);
		if (!s)
			return -ENOMEM;
		/* the entry was just added: find it and mark it */
		uint32_t h = hash_str(s, strlen(s));
		for (size_t i = h & (fe->names.cap - 1);; i = (i + 1) & (fe->names.cap - 1))
			if (fe->names.v[i].s == s) {
				fe->names.v[i].kind = T_KW_FIRST_ + 1 + (int)k;
				break;
			}
	}
	return 0;
}

int p4_tokvec_push(struct p4_tokvec *tv, const struct p4_token *t)
{
	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 256;
		struct p4_token *v = realloc(tv->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		tv->v = v;
		tv->cap = cap;
	}
	tv->v[tv->n++] = *t;
	return 0;
}

void p4_tokvec_free(struct p4_tokvec *tv)
{
	free(tv->v);
	memset(tv, 0, sizeof(*tv));
}

static const char *const tok_spellings[] = {
	"end of file", "identifier", "number", "string", "stray character",
#define X(n, s) "'" s "'",
	P4_PUNCTS(X)
#undef X
	"?",
#define X(n, s) "'" s "'",
	P4_KEYWORDS(X)
#undef X
};

const char *p4_tok_spelling(int kind)
{
	return kind >= 0 && kind < T_COUNT ? tok_spellings[kind] : "?";
}

struct p4_program_impl {
	struct p4_program pub;
	struct p4_fe fe;
};

void p4_program_free(struct p4_program *prog)
{
	if (!prog)
		return;
	struct p4_fe *fe = prog->internal;
	free(fe->names.v);
	p4l_arena_free(prog->arena);
	free(prog);
}

const char *p4_intern(struct p4_program *prog, const char *s, size_t len)
{
	return p4_fe_intern(prog->internal, s, len, NULL);
}

void *p4_program_alloc(struct p4_program *prog, size_t size)
{
	return p4l_arena_alloc(prog->arena, size);
}

struct p4_program *p4_parse_source(const char *name, const char *src, size_t len,
				   const struct p4c_options *opt, struct p4_diag *diag)
{
	struct p4_program_impl *impl = calloc(1, sizeof(*impl));
	struct p4_tokvec toks = { 0 };
	struct p4_fe *fe;
	char *buf;
	int err = -ENOMEM;

	if (!impl)
		return NULL;
	fe = &impl->fe;
	impl->pub.internal = fe;
	fe->arena = impl->pub.arena = p4l_arena_new();
	fe->diag = diag;
	fe->opt = opt;
	if (!fe->arena || intern_keywords(fe) < 0)
		goto out;
	buf = p4l_arena_strndup(fe->arena, src, len);
	name = buf ? p4_fe_intern(fe, name, strlen(name), NULL) : NULL;
	if (!name)
		goto out;
	if (strlen(buf) != len) {
		/* the lexer stops at a NUL: say so rather than skip the rest */
		const char *z = buf + strlen(buf), *ls = buf;
		uint32_t line = 1;
		for (const char *c = buf; c < z; c++)
			if (*c == '\n') {
				line++;
				ls = c + 1;
			}
		struct p4_loc loc = { name, ls, line, (uint32_t)(z - ls) + 1 };
		p4_diag_error(diag, &loc, "the file contains a NUL byte");
		err = -EINVAL;
		goto out;
	}
	err = p4_preprocess(fe, name, buf, &toks);
	if (err == 0)
		err = p4_parse_tokens(fe, toks.v, toks.n, &impl->pub.decls);
out:
	if (err == -ENOMEM || fe->oom)
		p4_diag_error(diag, NULL, "%s: out of memory", name ? name : "p4");
	p4_tokvec_free(&toks);
	if (err < 0 || fe->oom) {
		p4_program_free(&impl->pub);
		return NULL;
	}
	return &impl->pub;
}

struct p4_program *p4_parse_file(const char *path, const struct p4c_options *opt,
				 struct p4_diag *diag)
{
	struct p4l_err err = { 0 };
	char *src;
	size_t len;

	if (p4l_read_file(path, &src, &len, &err) < 0) {
		p4_diag_error(diag, NULL, "%s", err.msg);
		return NULL;
	}
	struct p4_program *prog = p4_parse_source(path, src, len, opt, diag);
	free(src);
	return prog;
}
