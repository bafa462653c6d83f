#include "rules/ast_facts.hpp"

#include <clang/AST/StmtOpenMP.h>
#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>
#include <clang-tidy/utils/DeclRefExprUtils.h>
#include <clang-tidy/utils/TypeTraits.h>

#include <algorithm>
#include <string>

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

std::vector<const DeclRefExpr*> refs_to(const VarDecl& var, const Stmt& s, ASTContext& ctx) {
    const auto found = tidy::utils::decl_ref_expr::allDeclRefExprs(var, s, ctx);
    std::vector<const DeclRefExpr*> refs(found.begin(), found.end());
    const SourceManager& sm = ctx.getSourceManager();
    std::sort(refs.begin(), refs.end(), [&](const DeclRefExpr* a, const DeclRefExpr* b) {
        const SourceLocation la = sm.getFileLoc(a->getBeginLoc()), lb = sm.getFileLoc(b->getBeginLoc());
        if (la != lb) return sm.isBeforeInTranslationUnit(la, lb);
        return a->getBeginLoc().getRawEncoding() < b->getBeginLoc().getRawEncoding();
    });
    return refs;
}

bool expensive_to_copy(QualType t, const ASTContext& ctx) { return tidy::utils::type_traits::isExpensiveToCopy(t, ctx).value_or(false); }

std::set<const VarDecl*> aliased_locals(const FunctionDecl& fn, ASTContext& ctx) {
    std::set<const VarDecl*> out;
    if (!fn.getBody()) return out;
    const auto ref = declRefExpr(to(varDecl().bind("var")));
    const auto kept_address = unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(ref)), unless(hasParent(callExpr())),
                                            unless(hasParent(implicitCastExpr(hasParent(callExpr())))));
    const auto bound = varDecl(unless(isImplicit()), hasType(referenceType(pointee(unless(isConstQualified())))),
                               hasInitializer(ignoringParenImpCasts(ref)));
    for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(stmt(anyOf(kept_address, declStmt(has(bound))))))), *fn.getBody(), ctx))
        out.insert(found.getNodeAs<VarDecl>("var"));
    for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(lambdaExpr().bind("lambda")))), *fn.getBody(), ctx))
        for (const LambdaCapture& capture : found.getNodeAs<LambdaExpr>("lambda")->captures())
            if (capture.capturesVariable() && capture.getCaptureKind() == LCK_ByRef)
                if (const auto* var = dyn_cast<VarDecl>(capture.getCapturedVar())) out.insert(var);
    return out;
}

const FunctionDecl* enclosing_function(ASTContext& ctx, const Stmt& s) {
    DynTypedNodeList parents = ctx.getParents(s);
    while (!parents.empty()) {
        if (const auto* fn = parents[0].get<FunctionDecl>()) return fn;
        if (const auto* st = parents[0].get<Stmt>()) parents = ctx.getParents(*st);
        else if (const auto* d = parents[0].get<Decl>()) parents = ctx.getParents(*d);
        else break;
    }
    return nullptr;
}

bool method_is(const CXXMemberCallExpr* call, StringRef name) {
    const CXXMethodDecl* method = call->getMethodDecl();
    return method && method->getIdentifier() && method->getName() == name;
}

bool repeatable(const Expr* e, ASTContext& context) {
    e = e->IgnoreParenImpCasts();
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(e); call && call->getNumArgs() == 0 && call->getMethodDecl() &&
                                                          call->getMethodDecl()->getParent()->isInStdNamespace() &&
                                                          (method_is(call, "size") || method_is(call, "length") || method_is(call, "empty")))
        return repeatable(call->getImplicitObjectArgument(), context);
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e)) {
        if (op->getOperator() != OO_Subscript || op->getNumArgs() != 2) return false;
        const auto* record = op->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace()) return false;
        static const std::set<std::string> sequences = {"vector", "array", "deque", "basic_string", "basic_string_view", "span"};
        return sequences.contains(record->getName().str()) && repeatable(op->getArg(0), context) && repeatable(op->getArg(1), context);
    }
    if (const auto* member = dyn_cast<MemberExpr>(e); member && isa<FieldDecl>(member->getMemberDecl()))
        return repeatable(member->getBase(), context);
    if (!e->HasSideEffects(context)) return true;
    // Arithmetic, comparisons, casts and ?: over such reads, as in a[i][k] * b[k][j].
    const auto* binary = dyn_cast<BinaryOperator>(e);
    const auto* unary = dyn_cast<UnaryOperator>(e);
    if ((binary && !binary->isAssignmentOp()) || (unary && !unary->isIncrementDecrementOp() && unary->getOpcode() != UO_Coawait) ||
        isa<ConditionalOperator>(e) || isa<ExplicitCastExpr>(e))
        return std::all_of(e->child_begin(), e->child_end(), [&](const Stmt* child) { return repeatable(cast<Expr>(child), context); });
    return false;
}

const VarDecl* object_var(const CXXMemberCallExpr* call) {
    const Expr* object = call->getImplicitObjectArgument();
    const auto* ref = object ? dyn_cast<DeclRefExpr>(object->IgnoreImplicit()) : nullptr;
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    return var && var->hasLocalStorage() ? var : nullptr;
}

const Stmt* loop_body(const Stmt* s) {
    if (const auto* f = dyn_cast<ForStmt>(s)) return f->getBody();
    if (const auto* w = dyn_cast<WhileStmt>(s)) return w->getBody();
    if (const auto* d = dyn_cast<DoStmt>(s)) return d->getBody();
    if (const auto* rf = dyn_cast<CXXForRangeStmt>(s)) return rf->getBody();
    return nullptr;
}

bool references_var(const Stmt* s, const VarDecl* var) {
    if (!s) return false;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s))
        if (ref->getDecl() == var) return true;
    for (const Stmt* child : s->children())
        if (references_var(child, var)) return true;
    return false;
}

void collect_vars(const Stmt* s, std::vector<const VarDecl*>& vars, bool& only_locals) {
    if (!s) return;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s)) {
        if (const auto* var = dyn_cast<VarDecl>(ref->getDecl())) {
            if (!var->hasLocalStorage()) only_locals = false;
            vars.push_back(var);
        } else if (!isa<FunctionDecl>(ref->getDecl()) && !isa<EnumConstantDecl>(ref->getDecl())) {
            only_locals = false;
        }
    }
    for (const Stmt* child : s->children()) collect_vars(child, vars, only_locals);
}

bool only_read(ASTContext& ctx, const VarDecl* var, const Stmt& scope) {
    ExprMutationAnalyzer analyzer(scope, ctx);
    if (!analyzer.isMutated(var)) return true;
    auto parent_of = [&](const Stmt& s) { return parent_through(ctx, s, [](const Stmt& p) { return isa<ImplicitCastExpr, ParenExpr>(p); }); };
    for (const DeclRefExpr* ref : refs_to(*var, scope, ctx)) {
        if (!analyzer.isMutated(ref)) continue;
        const Stmt* parent = parent_of(*ref);
        const Expr* access = nullptr;
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent); op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreImplicit() == ref)
            access = op;
        if (const auto* member = dyn_cast_or_null<MemberExpr>(parent)) {
            const std::string name = member->getMemberDecl()->getName().str();
            if (name == "at" || name == "front" || name == "back")
                if (const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parent_of(*member))) access = call;
        }
        if (!access || analyzer.isMutated(access)) return false;
    }
    return true;
}

std::optional<SourceLocation> template_name_as_written(const VarDecl& var) {
    if (!var.getTypeSourceInfo()) return std::nullopt;
    TypeLoc tl = var.getTypeSourceInfo()->getTypeLoc();
    if (auto elaborated = tl.getAs<ElaboratedTypeLoc>()) tl = elaborated.getNamedTypeLoc();
    const auto spec = tl.getAs<TemplateSpecializationTypeLoc>();
    if (!spec) return std::nullopt;
    return spec.getTemplateNameLoc();
}

UnitFacts gather_facts(ASTContext& ctx, const SourceMap& sources) {
    UnitFacts facts;
    auto stream = [&](const char* name) {
        return !match_in_sources(declRefExpr(to(varDecl(hasName(name)))), ctx, sources).empty();
    };
    facts.uses_cin = stream("::std::cin");
    facts.uses_cout = stream("::std::cout");
    facts.uses_c_stdio = !match_in_sources(callExpr(callee(functionDecl(hasAnyName(
                                    "printf", "scanf", "puts", "putchar", "getchar", "fgets", "gets", "fputs", "fputc",
                                    "fgetc", "getc", "putc", "fread", "fwrite", "fprintf", "fscanf", "perror", "fflush",
                                    "ungetc", "getchar_unlocked", "putchar_unlocked", "getc_unlocked", "putc_unlocked",
                                    "vprintf", "vfprintf", "getline", "getdelim", "read", "write"),
                                    // the C library's (extern "C"), not std::getline or a program's own read()
                                    isExternC()))),
                                ctx, sources).empty();
    facts.calls_sync = !match_in_sources(callExpr(callee(functionDecl(hasName("sync_with_stdio")))), ctx, sources).empty();
    for (const Decl* d : ctx.getTranslationUnitDecl()->decls())
        if (const auto* fn = dyn_cast<FunctionDecl>(d); fn && fn->isMain() && fn->doesThisDeclarationHaveABody() &&
                                                        sources.contains(ctx.getSourceManager(), fn->getLocation()))
            facts.main = fn;
    return facts;
}

bool writes_no_memory(const CallExpr& call) {
    const FunctionDecl* callee = call.getDirectCallee();
    if (!callee || isa<CXXMethodDecl>(callee) || !callee->getIdentifier()) return false;
    const DeclContext* where = callee->getDeclContext()->getRedeclContext();
    const bool in_std = where->isStdNamespace();
    if (!where->isTranslationUnit() && !in_std) return false;
    static const std::set<std::string> readers = {"strlen", "isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower", "ispunct",
                                                  "isxdigit", "isprint", "iscntrl", "isgraph", "toupper", "tolower", "abs", "labs",
                                                  "llabs", "strchr", "strcmp", "strncmp", "memcmp", "memchr"};
    const std::string name = callee->getName().str();
    return readers.contains(name) || (in_std && (name == "min" || name == "max"));
}

const VarDecl* var_of(const Expr* e) {
    const auto* ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
}

bool is_ref_to(const Expr* e, const VarDecl* var) { return var && var_of(e) == var; }

bool same_expr(const Expr* a, const Expr* b, ASTContext& ctx) {
    llvm::FoldingSetNodeID x, y;
    a->IgnoreParenImpCasts()->Profile(x, ctx, true);
    b->IgnoreParenImpCasts()->Profile(y, ctx, true);
    return x == y;
}

const VarDecl* counted_loop_var(const ForStmt& loop, ASTContext& ctx) {
    const auto* init = dyn_cast_or_null<DeclStmt>(loop.getInit());
    const auto* var = init && init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
    if (!var || !var->getType()->isIntegerType() || !var->getInit() || !repeatable(var->getInit(), ctx)) return nullptr;
    const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
    if (loop.getConditionVariable() || !cond || !(cond->isRelationalOp() || cond->getOpcode() == BO_NE)) return nullptr;
    const Expr* bound = is_ref_to(cond->getLHS(), var) ? cond->getRHS() : is_ref_to(cond->getRHS(), var) ? cond->getLHS() : nullptr;
    if (!bound || references_var(bound, var) || !repeatable(bound, ctx)) return nullptr;
    const Expr* inc = loop.getInc() ? loop.getInc()->IgnoreParenImpCasts() : nullptr;
    if (const auto* u = dyn_cast_or_null<UnaryOperator>(inc); u && u->isIncrementDecrementOp() && is_ref_to(u->getSubExpr(), var))
        return var;
    if (const auto* b = dyn_cast_or_null<BinaryOperator>(inc);
        b && (b->getOpcode() == BO_AddAssign || b->getOpcode() == BO_SubAssign) && is_ref_to(b->getLHS(), var) &&
        isa<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()))
        return var;
    return nullptr;
}

const Stmt* only_statement(const Stmt* s) {
    if (const auto* block = dyn_cast_or_null<CompoundStmt>(s)) return block->size() == 1 ? block->body_front() : nullptr;
    return s;
}

bool under_openmp(ASTContext& ctx, const Stmt& loop) {
    const auto parents = ctx.getParents(loop);
    return parents.size() == 1 &&
           (parents[0].get<CapturedDecl>() || parents[0].get<CapturedStmt>() || parents[0].get<OMPExecutableDirective>());
}

bool is_body_of(const Stmt* loop, const Stmt* body) { return body && loop_body(loop) == body; }

bool name_unique_in(const FunctionDecl& fn, const VarDecl& var, ASTContext& ctx) {
    const std::string name = var.getName().str();
    for (const ParmVarDecl* p : fn.parameters())
        if (p->getName() == name) return false;
    return match(stmt(forEachDescendant(namedDecl(hasName(name)).bind("d"))), *fn.getBody(), ctx).size() == 1;
}

const Stmt* parent_through_wrappers(ASTContext& ctx, const Stmt& s) {
    return parent_through(ctx, s, [](const Stmt& p) { return isa<ExprWithCleanups, CXXBindTemporaryExpr, ImplicitCastExpr, ParenExpr>(p); });
}

bool is_std_string(QualType t, ASTContext& ctx) {
    const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(t->getAsCXXRecordDecl());
    if (!spec || !spec->isInStdNamespace() || spec->getName() != "basic_string" || spec->getTemplateArgs().size() < 2) return false;
    const auto* traits = spec->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl();
    return traits && traits->isInStdNamespace() && traits->getName() == "char_traits" &&
           ctx.hasSameType(spec->getTemplateArgs()[0].getAsType(), ctx.CharTy);
}

const Stmt* parent_through_temporaries(ASTContext& ctx, const Stmt& s) {
    return parent_through(ctx, s, [](const Stmt& p) {
        return isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups>(p) ||
               (isa<ImplicitCastExpr>(p) && cast<ImplicitCastExpr>(p).getCastKind() != CK_LValueToRValue) ||
               (isa<CXXConstructExpr>(p) && !isa<CXXTemporaryObjectExpr>(p));
    });
}

const Stmt* statement_parent(ASTContext& ctx, const Stmt& s) {
    const auto parents = ctx.getParents(s);
    if (parents.size() != 1) return nullptr;
    if (const auto* st = parents[0].get<Stmt>()) return st;
    if (const auto* var = parents[0].get<VarDecl>()) return declaring_statement(ctx, *var);
    return nullptr;
}

const Stmt* parent_stmt(ASTContext& ctx, const Stmt& s) {
    const auto parents = ctx.getParents(s);
    return parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
}

const DeclStmt* declaring_statement(ASTContext& ctx, const VarDecl& var) {
    const auto parents = ctx.getParents(var);
    return parents.size() == 1 ? parents[0].get<DeclStmt>() : nullptr;
}

const CXXForRangeStmt* range_for_over(ASTContext& ctx, const VarDecl& var, const Expr& range) {
    if (!var.isImplicit()) return nullptr;
    const DeclStmt* decl = declaring_statement(ctx, var);
    const auto* loop = decl ? dyn_cast_or_null<CXXForRangeStmt>(parent_stmt(ctx, *decl)) : nullptr;
    return loop && loop->getRangeInit()->IgnoreParenImpCasts() == &range ? loop : nullptr;
}

}  // namespace optiloop::analyzer::rules
