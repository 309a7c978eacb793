/* dump.c - a readable dump of the tree (frontend.h: p4_ast_dump), one node
 * per line, children indented under their parent and named by the field
 * that holds them.  Used by tests/frontend and for debugging. */
#include "fe.h"
#include "frontend.h"

#include <inttypes.h>
#include <string.h>

static void dump(FILE *out, const char *label, const struct p4_node *n, int indent);

static void dump_list(FILE *out, const char *label, const struct p4_list *l, int indent)
{
	for (size_t i = 0; i < l->n; i++)
		dump(out, label, l->v[i], indent);
}

static const char *const dir_names[] = { "", "in ", "out ", "inout " };

static void print_int(FILE *out, const struct p4_int *lit)
{
	if (lit->has_width)
		fprintf(out, " %u%c", lit->width, lit->is_signed ? 's' : 'w');
	else
		fputc(' ', out);
	if (lit->nlimbs == 1) {
		fprintf(out, "%" PRIu64, lit->limbs[0]);
		return;
	}
	fputs("0x", out);
	for (uint32_t k = lit->nlimbs; k-- > 0;)
		fprintf(out, k == lit->nlimbs - 1 ? "%" PRIx64 : "%016" PRIx64, lit->limbs[k]);
}

static void dump(FILE *out, const char *label, const struct p4_node *n, int indent)
{
	if (!n)
		return;
	fprintf(out, "%*s", indent, "");
	if (label)
		fprintf(out, "%s: ", label);
	fputs(p4_kind_name(n->kind), out);
	if (n->name)
		fprintf(out, " %s", n->name);
	/* scalar attributes on the same line */
	switch (n->kind) {
	case P4_EXPR_INT: print_int(out, &n->u.intlit); break;
	case P4_EXPR_BOOL: fputs(n->u.boolean ? " true" : " false", out); break;
	case P4_EXPR_STRING: fprintf(out, " \"%s\"", n->u.str.value); break;
	case P4_EXPR_NAME:
	case P4_TYPE_NAME: if (n->u.ident.global) fputs(" (global)", out); break;
	case P4_EXPR_UNARY: fprintf(out, " %s", p4_unop_str(n->u.unary.op)); break;
	case P4_EXPR_BINARY: fprintf(out, " %s", p4_binop_str(n->u.binary.op)); break;
	case P4_PARAM:
		if (n->u.param.dir)
			fprintf(out, " (%.*s)", (int)strlen(dir_names[n->u.param.dir]) - 1,
				dir_names[n->u.param.dir]);
		break;
	case P4_DECL_METHOD:
		if (n->u.fn.is_ctor) fputs(" (constructor)", out);
		if (n->u.fn.is_abstract) fputs(" (abstract)", out);
		break;
	case P4_PROP_VALUE:
	case P4_PROP_ENTRIES:
		if (n->u.prop.is_const) fputs(" (const)", out);
		break;
	case P4_ENTRY: if (n->u.entry.is_const) fputs(" (const)", out); break;
	case P4_ANNOTATION:
		if (n->u.anno.body)
			fprintf(out, n->u.anno.form == P4_ANNO_STRUCT_EXPRS ||
				     n->u.anno.form == P4_ANNO_STRUCT_KV ? " [%s]" : " (%s)",
				n->u.anno.body);
		if (n->u.anno.form == P4_ANNO_UNPARSED) fputs(" unparsed", out);
		break;
	case P4_DECL_INSTANCE: if (n->u.inst.has_body) fputs(" (initializer)", out); break;
	case P4_STMT_ASSIGN:
		if (n->u.assign.compound)
			fprintf(out, " %s=", p4_binop_str(n->u.assign.op));
		break;
	case P4_ACTION_REF: if (n->u.aref.has_args) fputs(" ()", out); break;
	default: break;
	}
	fputc('\n', out);
	indent += 2;
	dump_list(out, "@", &n->annos, indent);
	switch (n->kind) {
	case P4_DECL_CONST:
	case P4_DECL_VAR:
		dump(out, "type", n->u.var.type, indent);
		dump(out, "init", n->u.var.init, indent);
		break;
	case P4_DECL_INSTANCE:
		dump(out, "type", n->u.inst.type, indent);
		dump_list(out, "arg", &n->u.inst.args, indent);
		dump_list(out, "body", &n->u.inst.body, indent);
		break;
	case P4_DECL_EXTERN:
		dump_list(out, "tparam", &n->u.ext.tparams, indent);
		dump_list(out, "method", &n->u.ext.methods, indent);
		break;
	case P4_DECL_EXTERN_FUNC:
	case P4_DECL_METHOD:
	case P4_DECL_FUNCTION:
	case P4_DECL_ACTION:
		dump(out, "ret", n->u.fn.ret, indent);
		dump_list(out, "tparam", &n->u.fn.tparams, indent);
		dump_list(out, "param", &n->u.fn.params, indent);
		dump(out, "body", n->u.fn.body, indent);
		break;
	case P4_DECL_PARSER_TYPE:
	case P4_DECL_PARSER:
	case P4_DECL_CONTROL_TYPE:
	case P4_DECL_CONTROL:
	case P4_DECL_PACKAGE:
		dump_list(out, "tparam", &n->u.blk.tparams, indent);
		dump_list(out, "param", &n->u.blk.params, indent);
		dump_list(out, "ctor_param", &n->u.blk.ctor_params, indent);
		dump_list(out, "local", &n->u.blk.locals, indent);
		dump_list(out, "state", &n->u.blk.states, indent);
		dump(out, "apply", n->u.blk.body, indent);
		break;
	case P4_PARSER_STATE:
		dump_list(out, "stmt", &n->u.state.stmts, indent);
		dump(out, "transition", n->u.state.transition, indent);
		break;
	case P4_DECL_TABLE:
		dump_list(out, "prop", &n->u.table.props, indent);
		break;
	case P4_PROP_KEY:
	case P4_PROP_ACTIONS:
	case P4_PROP_ENTRIES:
	case P4_PROP_VALUE:
		dump_list(out, NULL, &n->u.prop.items, indent);
		dump(out, "value", n->u.prop.value, indent);
		break;
	case P4_KEY_ELEM:
		dump(out, "expr", n->u.key.expr, indent);
		dump(out, "match_kind", n->u.key.match_kind, indent);
		break;
	case P4_ACTION_REF:
		dump(out, "action", n->u.aref.action, indent);
		dump_list(out, "arg", &n->u.aref.args, indent);
		break;
	case P4_ENTRY:
		dump(out, "priority", n->u.entry.priority, indent);
		dump(out, "keyset", n->u.entry.keyset, indent);
		dump(out, "action", n->u.entry.action, indent);
		break;
	case P4_DECL_HEADER:
	case P4_DECL_HEADER_UNION:
	case P4_DECL_STRUCT:
		dump_list(out, "tparam", &n->u.agg.tparams, indent);
		dump_list(out, "field", &n->u.agg.fields, indent);
		break;
	case P4_FIELD: dump(out, "type", n->u.field.type, indent); break;
	case P4_DECL_ENUM:
	case P4_DECL_ERROR:
	case P4_DECL_MATCH_KIND:
		dump(out, "type", n->u.enm.type, indent);
		dump_list(out, NULL, &n->u.enm.members, indent);
		break;
	case P4_ENUM_MEMBER: dump(out, "value", n->u.member.value, indent); break;
	case P4_DECL_TYPEDEF:
	case P4_DECL_NEWTYPE: dump(out, "type", n->u.tdef.type, indent); break;
	case P4_DECL_VALUE_SET:
		dump(out, "type", n->u.vset.type, indent);
		dump(out, "size", n->u.vset.size, indent);
		break;
	case P4_PARAM:
		dump(out, "type", n->u.param.type, indent);
		dump(out, "default", n->u.param.dflt, indent);
		break;
	case P4_STMT_ASSIGN:
		dump(out, "lhs", n->u.assign.lhs, indent);
		dump(out, "rhs", n->u.assign.rhs, indent);
		break;
	case P4_STMT_CALL: dump(out, NULL, n->u.call_stmt.call, indent); break;
	case P4_STMT_IF:
		dump(out, "cond", n->u.if_.cond, indent);
		dump(out, "then", n->u.if_.then, indent);
		dump(out, "else", n->u.if_.els, indent);
		break;
	case P4_STMT_SWITCH:
		dump(out, "expr", n->u.switch_.expr, indent);
		dump_list(out, NULL, &n->u.switch_.cases, indent);
		break;
	case P4_SWITCH_CASE:
		dump(out, "label", n->u.scase.label, indent);
		dump(out, "body", n->u.scase.body, indent);
		break;
	case P4_STMT_BLOCK: dump_list(out, NULL, &n->u.block.stmts, indent); break;
	case P4_STMT_RETURN: dump(out, NULL, n->u.ret.expr, indent); break;
	case P4_STMT_TRANSITION: dump(out, NULL, n->u.trans.target, indent); break;
	case P4_EXPR_MEMBER: dump(out, "base", n->u.mem.base, indent); break;
	case P4_EXPR_INDEX:
		dump(out, "base", n->u.index.base, indent);
		dump(out, "index", n->u.index.index, indent);
		break;
	case P4_EXPR_SLICE:
		dump(out, "base", n->u.slice.base, indent);
		dump(out, "hi", n->u.slice.hi, indent);
		dump(out, "lo", n->u.slice.lo, indent);
		break;
	case P4_EXPR_CALL:
		dump(out, "callee", n->u.call.callee, indent);
		dump_list(out, "targ", &n->u.call.targs, indent);
		dump_list(out, "arg", &n->u.call.args, indent);
		break;
	case P4_EXPR_UNARY: dump(out, NULL, n->u.unary.operand, indent); break;
	case P4_EXPR_BINARY:
		dump(out, NULL, n->u.binary.lhs, indent);
		dump(out, NULL, n->u.binary.rhs, indent);
		break;
	case P4_EXPR_COND:
		dump(out, "cond", n->u.cond.cond, indent);
		dump(out, "then", n->u.cond.then, indent);
		dump(out, "else", n->u.cond.els, indent);
		break;
	case P4_EXPR_CAST:
		dump(out, "type", n->u.cast.type, indent);
		dump(out, "expr", n->u.cast.expr, indent);
		break;
	case P4_EXPR_LIST:
	case P4_EXPR_STRUCT: dump_list(out, NULL, &n->u.list.items, indent); break;
	case P4_EXPR_SELECT:
		dump_list(out, "expr", &n->u.select.exprs, indent);
		dump_list(out, NULL, &n->u.select.cases, indent);
		break;
	case P4_SELECT_CASE:
		dump(out, "keyset", n->u.selcase.keyset, indent);
		dump(out, "state", n->u.selcase.state, indent);
		break;
	case P4_EXPR_TYPE: dump(out, NULL, n->u.texpr.type, indent); break;
	case P4_ARG: dump(out, NULL, n->u.arg.value, indent); break;
	case P4_TYPE_BIT:
	case P4_TYPE_INT:
	case P4_TYPE_VARBIT: dump(out, "width", n->u.bits.width, indent); break;
	case P4_TYPE_SPEC:
		dump(out, "base", n->u.spec.base, indent);
		dump_list(out, "arg", &n->u.spec.args, indent);
		break;
	case P4_TYPE_STACK:
		dump(out, "elem", n->u.stack.elem, indent);
		dump(out, "size", n->u.stack.size, indent);
		break;
	case P4_TYPE_TUPLE:
	case P4_TYPE_LIST: dump_list(out, "arg", &n->u.tuple.args, indent); break;
	case P4_ANNOTATION:
		dump_list(out, NULL, &n->u.anno.exprs, indent);
		dump_list(out, NULL, &n->u.anno.kvs, indent);
		break;
	case P4_STMT_FOR:
		dump_list(out, "init", &n->u.forloop.init, indent);
		dump(out, "cond", n->u.forloop.cond, indent);
		dump_list(out, "update", &n->u.forloop.update, indent);
		dump(out, "body", n->u.forloop.body, indent);
		break;
	case P4_STMT_FOR_IN:
		dump(out, "var", n->u.forin.var, indent);
		dump(out, "in", n->u.forin.collection, indent);
		dump(out, "body", n->u.forin.body, indent);
		break;
	case P4_EXPR_SLICE_PLUS:
		dump(out, "base", n->u.splus.base, indent);
		dump(out, "lsb", n->u.splus.lsb, indent);
		dump(out, "width", n->u.splus.width, indent);
		break;
	default:
		break;
	}
}

void p4_ast_dump_node(FILE *out, const struct p4_node *n, int indent)
{
	dump(out, NULL, n, indent);
}

/* Bundled files are reported as "p4include/NAME" (see preproc.c). */
static bool is_bundled(const char *file)
{
	if (!file || strncmp(file, "p4include/", 10))
		return false;
	for (size_t k = 0; k < p4_n_bundled_files; k++)
		if (!strcmp(file + 10, p4_bundled_files[k].name))
			return true;
	return false;
}

void p4_ast_dump(FILE *out, const struct p4_program *prog, int skip_bundled)
{
	for (size_t i = 0; i < prog->decls.n; i++) {
		const struct p4_node *d = prog->decls.v[i];
		if (skip_bundled && is_bundled(d->loc.file))
			continue;
		dump(out, NULL, d, 0);
	}
}
