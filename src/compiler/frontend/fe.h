/* fe.h - internals shared by the front end's stages: the arena, the intern
 * table, tokens, and the entry points of lexer.c, preproc.c and parser.c.
 * Not for the back end (it uses frontend.h and ast.h). */
#ifndef P4_FE_H
#define P4_FE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "p4c.h"

/* The AST, names and source buffers live in one arena (src/common/arena.h). */

/* Tokens.  Punctuators: X(NAME, spelling), longest spellings first so the
 * lexer can match in order (`|+|=` before `|+|`).  `>>` is never one token: two adjacent `>`
 * (see the `space` flag) make a shift in expressions and close two type
 * argument lists in types. */
#define P4_PUNCTS(X)                                                        \
	X(ADDSAT_ASSIGN, "|+|=") X(SUBSAT_ASSIGN, "|-|=") X(SHL_ASSIGN, "<<=") \
	X(MUL_ASSIGN, "*=") X(DIV_ASSIGN, "/=") X(MOD_ASSIGN, "%=")         \
	X(ADD_ASSIGN, "+=") X(SUB_ASSIGN, "-=") X(AND_ASSIGN, "&=")         \
	X(OR_ASSIGN, "|=") X(XOR_ASSIGN, "^=")                              \
	X(MASK, "&&&") X(ADDSAT, "|+|") X(SUBSAT, "|-|") X(DOTS, "...")     \
	X(SHL, "<<") X(LE, "<=") X(GE, ">=") X(EQ, "==") X(NE, "!=")        \
	X(AND, "&&") X(OR, "||") X(PP, "++") X(RANGE, "..") X(HASHHASH, "##") \
	X(LBRACE, "{") X(RBRACE, "}") X(LPAREN, "(") X(RPAREN, ")")         \
	X(LBRACK, "[") X(RBRACK, "]") X(LT, "<") X(GT, ">") X(SEMI, ";")    \
	X(COLON, ":") X(COMMA, ",") X(DOT, ".") X(ASSIGN, "=") X(PLUS, "+") \
	X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(PERCENT, "%")            \
	X(AMP, "&") X(PIPE, "|") X(CARET, "^") X(TILDE, "~") X(BANG, "!")   \
	X(QUESTION, "?") X(AT, "@") X(HASH, "#")

/* Keywords.  `_` is the don't-care token.  Contextual ones (apply, key,
 * actions, entries, state, type, priority, list) are also accepted where a
 * plain name is (see the parser's is_name). */
#define P4_KEYWORDS(X)                                                      \
	X(ABSTRACT, "abstract") X(ACTION, "action") X(ACTIONS, "actions")   \
	X(APPLY, "apply") X(BOOL, "bool") X(BIT, "bit") X(BREAK, "break")   \
	X(CONST, "const") X(CONTINUE, "continue")                           \
	X(CONTROL, "control") X(DEFAULT, "default") X(ELSE, "else")         \
	X(ENTRIES, "entries") X(ENUM, "enum") X(ERROR, "error")             \
	X(EXIT, "exit") X(EXTERN, "extern") X(FALSE, "false") X(FOR, "for") \
	X(HEADER, "header") X(HEADER_UNION, "header_union") X(IF, "if")     \
	X(IN, "in") X(INOUT, "inout") X(INT, "int") X(KEY, "key")           \
	X(LIST, "list") X(MATCH_KIND, "match_kind") X(OUT, "out")           \
	X(PACKAGE, "package") X(PARSER, "parser") X(PRIORITY, "priority")   \
	X(RETURN, "return") X(SELECT, "select") X(STATE, "state")           \
	X(STRING, "string") X(STRUCT, "struct") X(SWITCH, "switch")         \
	X(TABLE, "table") X(THIS, "this") X(TRANSITION, "transition")       \
	X(TRUE, "true") X(TUPLE, "tuple") X(TYPE, "type")                   \
	X(TYPEDEF, "typedef") X(VALUE_SET, "value_set")                     \
	X(VARBIT, "varbit") X(VOID, "void") X(DONTCARE, "_")

enum p4_tok {
	T_EOF,
	T_IDENT,
	T_NUMBER,
	T_STRING,
	T_STRAY,     /* a character no token starts with, or an unterminated
	              * string: an error only where the token is used, not in
	              * a skipped #if group or the text of #error */
#define X(n, s) T_##n,
	P4_PUNCTS(X)
#undef X
	T_KW_FIRST_,
#define X(n, s) T_KW_##n,
	P4_KEYWORDS(X)
#undef X
	T_COUNT
};

struct p4_token {
	uint16_t kind;
	uint8_t bol;          /* first token on its line */
	uint8_t space;        /* whitespace before it */
	uint32_t len;
	const char *text;     /* spelling (not NUL-terminated) */
	const char *name;     /* interned spelling, for identifiers and keywords */
	struct p4_loc loc;
};

struct p4_tokvec {
	struct p4_token *v;
	size_t n, cap;
};

/* The state of one compilation. */
struct p4_fe {
	struct p4l_arena *arena;
	struct p4_diag *diag;
	const struct p4c_options *opt;
	struct {                 /* open addressing; entries in the arena */
		struct intern_ent { const char *s; uint32_t len, hash; int kind; } *v;
		size_t n, cap;
	} names;
	bool oom;
};

/* fe.c */
const char *p4_fe_intern(struct p4_fe *fe, const char *s, size_t len, int *kind);
int p4_tokvec_push(struct p4_tokvec *tv, const struct p4_token *t);
void p4_tokvec_free(struct p4_tokvec *tv);
const char *p4_tok_spelling(int kind);   /* "';'", "identifier", ... */

/* lexer.c: appends the tokens of buf (NUL-terminated, kept alive by the
 * caller) to out, then a T_EOF at the end of buf.  Returns 0 or -EINVAL after
 * reporting. */
int p4_lex(struct p4_fe *fe, const char *file, const char *buf, struct p4_tokvec *out);

/* The error message for a T_STRAY token. */
const char *p4_stray_message(const struct p4_token *t, char *buf, size_t size);

/* preproc.c: the fully preprocessed token stream of the main file, ending
 * with T_EOF.  buf is NUL-terminated and lives in the arena. */
int p4_preprocess(struct p4_fe *fe, const char *file, const char *buf,
		  struct p4_tokvec *out);

/* parser.c */
int p4_parse_tokens(struct p4_fe *fe, const struct p4_token *toks, size_t n,
		    struct p4_list *decls);

/* Parses the value of an integer literal's spelling into lit (limbs in the
 * arena).  Returns 0, or -EINVAL with a message in msg. */
int p4_parse_int(struct p4_fe *fe, const char *text, size_t len, struct p4_int *lit,
		 char *msg, size_t msg_size);

/* p4include.c (generated at build time from p4include/) */
struct p4_bundled_file { const char *name; const char *text; size_t len; };
extern const struct p4_bundled_file p4_bundled_files[];
extern const size_t p4_n_bundled_files;

#endif
