/* expr.c: a recursive-descent parser for constraint expressions over issues
 * (grammar in docs/scenario-format.md#constraint-expressions) and their
 * evaluation, exact on outcomes and three-valued on partial outcomes. */
#include "expr.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "scenario.h"

#define MAX_DEPTH 100 /* nesting of parentheses and 'not' */

enum token_kind {
    T_END = 0,
    T_NAME,   /* identifier or `quoted name` */
    T_NUMBER, /* decimal number */
    T_STRING, /* 'text' or "text" */
    T_LPAREN,
    T_RPAREN,
    T_LBRACE,
    T_RBRACE,
    T_COMMA,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE
};

typedef struct token {
    int kind;
    size_t at, len;    /* place in the text */
    const char *start; /* text of a name or string (without quotes), len bytes */
    size_t text_len;
    double number;
} token;

typedef struct parser {
    const char *text;
    size_t pos;
    token tok;
    arena *a;
    const truce_scenario *s;
    expr_error *where;
    int depth;
    int failed;             /* TRUCE_EPARSE or TRUCE_ENOMEM once set */
    double *scratch;        /* total_options: a linear sum's coefficients per option slot */
    unsigned char *touched; /* n_issues: issues of that sum */
    unsigned char *used;    /* n_issues: issues the whole expression reads */
} parser;

static int syntax(parser *p, size_t at, const char *fmt, ...) TRUCE_PRINTF(3, 4);

static int syntax(parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return p->failed;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->where->message, sizeof p->where->message, fmt, ap);
    va_end(ap);
    /* a quoted piece of the text may hold line breaks: the message stays one line */
    for (char *c = p->where->message; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    p->where->offset = at;
    p->failed = TRUCE_EPARSE;
    return p->failed;
}

static int out_of_memory(parser *p)
{
    if (!p->failed) {
        snprintf(p->where->message, sizeof p->where->message, "out of memory");
        p->failed = TRUCE_ENOMEM;
    }
    return p->failed;
}

static int name_start(int c)
{
    return isalpha(c) || c == '_';
}

static int name_char(int c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* A short quote of the token for messages. */
static void describe(const parser *p, const token *t, char *buf, size_t size)
{
    if (t->kind == T_END)
        snprintf(buf, size, "the end of the expression");
    else
        snprintf(buf, size, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), p->text + t->at);
}

static int next(parser *p)
{
    const char *x = p->text;
    size_t i = p->pos;
    while (x[i] == ' ' || x[i] == '\t' || x[i] == '\n' || x[i] == '\r')
        i++;
    token t = {T_END, i, 0, NULL, 0, 0};
    int c = (unsigned char)x[i];
    if (c == '\0') {
        p->tok = t;
        p->pos = i;
        return 0;
    }
    if (name_start(c)) {
        size_t j = i;
        while (name_char((unsigned char)x[j]))
            j++;
        /* a name ends with a letter, digit or '_': "a-" is "a" then "-" */
        while (j > i + 1 && (x[j - 1] == '-' || x[j - 1] == '.'))
            j--;
        t.kind = T_NAME;
        t.start = x + i;
        t.text_len = j - i;
        t.len = j - i;
    } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)x[i + 1]))) {
        size_t j = i;
        while (isdigit((unsigned char)x[j]))
            j++;
        if (x[j] == '.')
            for (j++; isdigit((unsigned char)x[j]);)
                j++;
        if ((x[j] == 'e' || x[j] == 'E') &&
            (isdigit((unsigned char)x[j + 1]) ||
             ((x[j + 1] == '+' || x[j + 1] == '-') && isdigit((unsigned char)x[j + 2])))) {
            j += 2;
            while (isdigit((unsigned char)x[j]))
                j++;
        }
        char buf[64];
        if (j - i >= sizeof buf)
            return syntax(p, i, "number '%.20s...' is too long", x + i);
        memcpy(buf, x + i, j - i);
        buf[j - i] = '\0';
        t.kind = T_NUMBER;
        t.number = strtod(buf, NULL);
        if (!isfinite(t.number))
            return syntax(p, i, "number '%s' is out of range", buf);
        t.start = x + i;
        t.text_len = j - i;
        t.len = j - i;
        /* an option label such as 3.67-percent or 5060-ir1 reads as one word */
        if (name_char((unsigned char)x[j]) && x[j] != '.') {
            size_t k = j;
            while (name_char((unsigned char)x[k]))
                k++;
            while (k > j && (x[k - 1] == '-' || x[k - 1] == '.'))
                k--;
            if (k > j) {
                t.kind = T_NAME;
                t.text_len = t.len = k - i;
            }
        }
    } else if (c == '\'' || c == '"' || c == '`') {
        size_t j = i + 1;
        while (x[j] && x[j] != c)
            j++;
        if (!x[j])
            return syntax(p, i, "the quote %c opened here is not closed", c);
        t.kind = c == '`' ? T_NAME : T_STRING;
        t.start = x + i + 1;
        t.text_len = j - i - 1;
        t.len = j + 1 - i;
        if (t.text_len == 0)
            return syntax(p, i, "an empty quoted name");
    } else {
        static const struct {
            const char *text;
            int kind;
        } symbols[] = {{"==", T_EQ},    {"!=", T_NE},    {"<=", T_LE},    {">=", T_GE},
                       {"(", T_LPAREN}, {")", T_RPAREN}, {"{", T_LBRACE}, {"}", T_RBRACE},
                       {",", T_COMMA},  {"+", T_PLUS},   {"-", T_MINUS},  {"*", T_STAR},
                       {"=", T_EQ},     {"<", T_LT},     {">", T_GT}};
        t.kind = -1;
        for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++) {
            size_t n = strlen(symbols[k].text);
            if (!strncmp(x + i, symbols[k].text, n)) {
                t.kind = symbols[k].kind;
                t.len = n;
                break;
            }
        }
        if (t.kind < 0) {
            if (c >= 0x20 && c < 0x7f)
                return syntax(p, i, "unexpected character '%c'", c);
            return syntax(p, i, "unexpected character (byte 0x%02X)", (unsigned)c);
        }
    }
    p->tok = t;
    p->pos = i + t.len;
    return 0;
}

static int is_word(const token *t, const char *word)
{
    return t->kind == T_NAME && t->text_len == strlen(word) && t->len == t->text_len &&
           !strncmp(t->start, word, t->text_len);
}

static int is_keyword(const token *t)
{
    return is_word(t, "and") || is_word(t, "or") || is_word(t, "not") || is_word(t, "in") ||
           is_word(t, "true") || is_word(t, "false");
}

static expr *node(parser *p, int kind)
{
    expr *e = arena_alloc(p->a, sizeof *e);
    if (!e) {
        out_of_memory(p);
        return NULL;
    }
    e->kind = kind;
    return e;
}

static int issue_named(const parser *p, const token *t)
{
    for (size_t i = 0; i < p->s->n_issues; i++) {
        const char *name = p->s->issues[i].name;
        if (strlen(name) == t->text_len && !strncmp(name, t->start, t->text_len))
            return (int)i;
    }
    return -1;
}

static int attribute_named(const parser *p, const token *t)
{
    for (size_t k = 0; k < p->s->n_attributes; k++) {
        const char *name = p->s->attribute_names[k];
        if (strlen(name) == t->text_len && !strncmp(name, t->start, t->text_len))
            return (int)k;
    }
    return -1;
}

/* The option of issue i that token t names, or -1. */
static int option_named(const parser *p, uint32_t i, const token *t)
{
    char label[256];
    if (t->text_len >= sizeof label)
        return -1;
    memcpy(label, t->start ? t->start : p->text + t->at, t->text_len ? t->text_len : t->len);
    label[t->text_len ? t->text_len : t->len] = '\0';
    int k = truce_option_find(p->s, i, label);
    if (k < 0 && t->kind == T_NUMBER && p->s->issues[i].kind != TRUCE_ISSUE_DISCRETE) {
        /* 3 names the option 3.0 of a real issue */
        for (uint32_t o = 0; o < p->s->issues[i].n_options; o++)
            if (issue_option_value(&p->s->issues[i], o) == t->number)
                return (int)o;
    }
    return k;
}

/* The numeric value of option k of issue i: its value for integer and real
 * issues, its label read as a number for discrete ones (NAN when it is not
 * one). */
static double option_number(const truce_scenario *s, uint32_t i, uint32_t k)
{
    const issue *is = &s->issues[i];
    if (is->kind != TRUCE_ISSUE_DISCRETE)
        return issue_option_value(is, k);
    char *end;
    double v = strtod(is->labels[k], &end);
    return *end || end == is->labels[k] || !isfinite(v) ? NAN : v;
}

static int parse_or(parser *p, expr **out);

/* option = name | number | string, of issue i, into allowed. */
static int parse_option(parser *p, uint32_t i, unsigned char *allowed)
{
    if (p->tok.kind != T_NAME && p->tok.kind != T_NUMBER && p->tok.kind != T_STRING) {
        char what[64];
        describe(p, &p->tok, what, sizeof what);
        return syntax(p, p->tok.at, "expected an option of issue '%s', found %s",
                      p->s->issues[i].name, what);
    }
    int k = option_named(p, i, &p->tok);
    if (k < 0 || !allowed)
        return syntax(p, p->tok.at, "'%.*s' is not an option of issue '%s'",
                      (int)(p->tok.text_len ? p->tok.text_len : p->tok.len),
                      p->tok.start ? p->tok.start : p->text + p->tok.at, p->s->issues[i].name);
    allowed[k] = 1;
    return next(p);
}

/* name ["not"] "in" "{" option {"," option} "}" (the name already read). */
static int parse_in(parser *p, const token *name, int negate, expr **out)
{
    int i = issue_named(p, name);
    if (i < 0)
        return syntax(p, name->at, "'%.*s' is not an issue ('in' needs an issue)",
                      (int)name->text_len, name->start);
    if (p->tok.kind != T_LBRACE) {
        char what[64];
        describe(p, &p->tok, what, sizeof what);
        return syntax(p, p->tok.at, "expected '{' after 'in', found %s", what);
    }
    const issue *is = &p->s->issues[i];
    unsigned char *allowed = arena_array(p->a, is->n_options ? is->n_options : 1, 1);
    expr *e = node(p, EXPR_IN);
    if (!allowed || !e)
        return out_of_memory(p);
    int rc;
    if ((rc = next(p)) || (rc = parse_option(p, (uint32_t)i, allowed)))
        return rc;
    while (p->tok.kind == T_COMMA)
        if ((rc = next(p)) || (rc = parse_option(p, (uint32_t)i, allowed)))
            return rc;
    if (p->tok.kind != T_RBRACE) {
        char what[64];
        describe(p, &p->tok, what, sizeof what);
        return syntax(p, p->tok.at, "expected ',' or '}' in the option set, found %s", what);
    }
    if (negate)
        for (uint32_t k = 0; k < is->n_options; k++)
            allowed[k] = !allowed[k];
    e->issue = (uint32_t)i;
    e->allowed = allowed;
    p->used[i] = 1;
    *out = e;
    return next(p);
}

/* Add scale times the value of name (an issue's number, or an attribute's
 * sum) to the sum being read. */
static int add_name(parser *p, const token *t, double scale)
{
    const truce_scenario *s = p->s;
    int i = issue_named(p, t);
    if (i >= 0) {
        const issue *is = &s->issues[i];
        for (uint32_t k = 0; k < is->n_options; k++) {
            double v = option_number(s, (uint32_t)i, k);
            if (isnan(v))
                return syntax(p, t->at,
                              "issue '%s' is not numeric (its option '%s' is not a number): "
                              "compare it with = or 'in {...}', or give its options an "
                              "attribute",
                              is->name, is->labels[k]);
            p->scratch[s->option_offset[i] + k] += scale * v;
        }
        p->touched[i] = 1;
        return 0;
    }
    int at = attribute_named(p, t);
    if (at < 0)
        return syntax(p, t->at, "unknown name '%.*s' (not an issue nor an option attribute)",
                      (int)t->text_len, t->start);
    for (size_t j = 0; j < s->n_issues; j++) {
        if (!s->attribute_issues[(size_t)at * s->n_issues + j])
            continue;
        for (uint32_t k = 0; k < s->issues[j].n_options; k++)
            p->scratch[s->option_offset[j] + k] +=
                scale * s->attribute_values[at][s->option_offset[j] + k];
        p->touched[j] = 1;
    }
    return 0;
}

/* product = factor {"*" factor}, factor = number | name; at most one name
 * (the sum stays linear). */
static int parse_product(parser *p, double sign, double *constant)
{
    double scale = sign;
    token name = {0};
    int have_name = 0, rc;
    for (;;) {
        while (p->tok.kind == T_MINUS) { /* "a + -2 * b" */
            scale = -scale;
            if ((rc = next(p)))
                return rc;
        }
        if (p->tok.kind == T_NUMBER) {
            scale *= p->tok.number;
        } else if (p->tok.kind == T_NAME && !is_keyword(&p->tok)) {
            if (have_name)
                return syntax(p, p->tok.at,
                              "a product of two names is not linear: multiply a name by numbers "
                              "only");
            name = p->tok;
            have_name = 1;
        } else {
            char what[64];
            describe(p, &p->tok, what, sizeof what);
            return syntax(p, p->tok.at, "expected a number or a name, found %s", what);
        }
        if ((rc = next(p)))
            return rc;
        if (p->tok.kind != T_STAR)
            break;
        if ((rc = next(p)))
            return rc;
    }
    if (!isfinite(scale))
        return syntax(p, name.at, "a product out of range");
    if (have_name)
        return add_name(p, &name, scale);
    *constant += scale;
    return 0;
}

/* sum = ["-"] product {("+" | "-") product}, added times sign. */
static int parse_sum(parser *p, double sign, double *constant)
{
    int rc;
    double s = sign;
    if (p->tok.kind == T_MINUS) {
        s = -sign;
        if ((rc = next(p)))
            return rc;
    }
    if ((rc = parse_product(p, s, constant)))
        return rc;
    while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
        s = p->tok.kind == T_PLUS ? sign : -sign;
        if ((rc = next(p)) || (rc = parse_product(p, s, constant)))
            return rc;
    }
    return 0;
}

static int relation(int kind)
{
    return kind == T_EQ || kind == T_NE || kind == T_LT || kind == T_LE || kind == T_GT ||
           kind == T_GE;
}

/* Turn the sum in scratch/touched (left minus right) and the constant into
 * a comparison node, clearing scratch. */
static int make_compare(parser *p, int rel, double constant, size_t at, expr **out)
{
    const truce_scenario *s = p->s;
    expr *e = node(p, EXPR_COMPARE);
    if (!e)
        return out_of_memory(p);
    double sign = 1;
    switch (rel) {
    case T_LE:
        e->op = EXPR_LE;
        break;
    case T_LT:
        e->op = EXPR_LT;
        break;
    case T_GE:
        e->op = EXPR_LE, sign = -1;
        break; /* a >= b: b - a <= 0 */
    case T_GT:
        e->op = EXPR_LT, sign = -1;
        break;
    case T_EQ:
        e->op = EXPR_EQ;
        break;
    default:
        e->op = EXPR_NE;
        break;
    }
    uint32_t n = 0;
    for (size_t i = 0; i < s->n_issues; i++)
        n += p->touched[i];
    expr_term *terms = arena_array(p->a, n ? n : 1, sizeof *terms);
    if (!terms)
        return out_of_memory(p);
    double scale = fabs(constant);
    n = 0;
    for (size_t i = 0; i < s->n_issues; i++) {
        if (!p->touched[i])
            continue;
        uint32_t k_opts = s->issues[i].n_options;
        double *v = arena_array(p->a, k_opts ? k_opts : 1, sizeof *v);
        if (!v)
            return out_of_memory(p);
        double lo = INFINITY, hi = -INFINITY, big = 0;
        for (uint32_t k = 0; k < k_opts; k++) {
            double *x = &p->scratch[s->option_offset[i] + k];
            v[k] = sign * *x;
            *x = 0;
            if (!isfinite(v[k]))
                return syntax(p, at, "a sum out of range");
            lo = v[k] < lo ? v[k] : lo;
            hi = v[k] > hi ? v[k] : hi;
            big = fabs(v[k]) > big ? fabs(v[k]) : big;
        }
        terms[n++] = (expr_term){(uint32_t)i, v, lo, hi};
        scale += big;
        p->touched[i] = 0;
        p->used[i] = 1;
    }
    e->constant = sign * constant;
    e->tolerance = 1e-9 * (1 + scale);
    e->n_terms = n;
    e->terms = terms;
    *out = e;
    return 0;
}

/* comparison = sum relop sum; and name (= | !=) option for an issue. */
static int parse_comparison(parser *p, expr **out)
{
    token first = p->tok;
    int rc;
    if (first.kind == T_NAME && !is_keyword(&first)) {
        if ((rc = next(p)))
            return rc;
        /* membership */
        int negate = 0;
        if (is_word(&p->tok, "not")) {
            negate = 1;
            if ((rc = next(p)))
                return rc;
            if (!is_word(&p->tok, "in")) {
                char what[64];
                describe(p, &p->tok, what, sizeof what);
                return syntax(p, p->tok.at, "expected 'in' after 'not', found %s", what);
            }
        }
        if (is_word(&p->tok, "in")) {
            if ((rc = next(p)))
                return rc;
            return parse_in(p, &first, negate, out);
        }
        /* an issue equal (or not) to one of its options; an issue whose options are not
         * numbers has nothing else to compare */
        int i = issue_named(p, &first);
        if (i >= 0 && (p->tok.kind == T_EQ || p->tok.kind == T_NE)) {
            const issue *is = &p->s->issues[i];
            int numeric = 1;
            for (uint32_t o = 0; o < is->n_options && numeric; o++)
                numeric = !isnan(option_number(p->s, (uint32_t)i, o));
            int rel = p->tok.kind;
            size_t save_pos = p->pos;
            token save = p->tok;
            if ((rc = next(p)))
                return rc;
            token value = p->tok;
            int k = (value.kind == T_NAME || value.kind == T_NUMBER || value.kind == T_STRING)
                        ? option_named(p, (uint32_t)i, &value)
                        : -1;
            if (k < 0 && !numeric)
                return parse_option(p, (uint32_t)i, NULL);
            if (k >= 0 && (rc = next(p)))
                return rc;
            if (k >= 0 && !relation(p->tok.kind) && p->tok.kind != T_PLUS &&
                p->tok.kind != T_MINUS && p->tok.kind != T_STAR) {
                unsigned char *allowed = arena_array(p->a, is->n_options, 1);
                expr *e = node(p, EXPR_IN);
                if (!allowed || !e)
                    return out_of_memory(p);
                for (uint32_t o = 0; o < is->n_options; o++)
                    allowed[o] = (o == (uint32_t)k) == (rel == T_EQ);
                e->issue = (uint32_t)i;
                e->allowed = allowed;
                p->used[i] = 1;
                *out = e;
                return 0;
            }
            if (value.kind == T_STRING)
                return syntax(p, value.at, "'%.*s' is not an option of issue '%s'",
                              (int)value.text_len, value.start, is->name);
            /* a numeric comparison after all: read again from the relation */
            p->pos = save_pos;
            p->tok = save;
        }
        /* a sum starting with that name: rewind to it */
        p->pos = first.at;
        if ((rc = next(p)))
            return rc;
    }
    double constant = 0;
    size_t at = p->tok.at;
    if ((rc = parse_sum(p, 1, &constant)))
        return rc;
    if (!relation(p->tok.kind)) {
        char what[64];
        describe(p, &p->tok, what, sizeof what);
        return syntax(p, p->tok.at, "expected a comparison (=, !=, <, <=, >, >=), found %s", what);
    }
    int rel = p->tok.kind;
    if ((rc = next(p)) || (rc = parse_sum(p, -1, &constant)))
        return rc;
    if (relation(p->tok.kind))
        return syntax(p, p->tok.at, "comparisons do not chain: join them with 'and'");
    return make_compare(p, rel, constant, at, out);
}

static int parse_atom(parser *p, expr **out)
{
    int rc;
    if (p->tok.kind == T_LPAREN) {
        size_t open = p->tok.at;
        if (++p->depth > MAX_DEPTH)
            return syntax(p, open, "nested more than %d levels deep", MAX_DEPTH);
        if ((rc = next(p)) || (rc = parse_or(p, out)))
            return rc;
        if (p->tok.kind != T_RPAREN) {
            char what[64];
            describe(p, &p->tok, what, sizeof what);
            return syntax(p, p->tok.at, "expected ')' to close the '(' at column %zu, found %s",
                          open + 1, what);
        }
        p->depth--;
        return next(p);
    }
    if (is_word(&p->tok, "true") || is_word(&p->tok, "false")) {
        expr *e = node(p, is_word(&p->tok, "true") ? EXPR_TRUE : EXPR_FALSE);
        if (!e)
            return out_of_memory(p);
        *out = e;
        return next(p);
    }
    if (p->tok.kind == T_NAME && is_keyword(&p->tok)) {
        char what[64];
        describe(p, &p->tok, what, sizeof what);
        return syntax(p, p->tok.at, "expected a condition, found %s", what);
    }
    if (p->tok.kind == T_END)
        return syntax(p, p->tok.at, "expected a condition, found the end of the expression");
    return parse_comparison(p, out);
}

static int parse_not(parser *p, expr **out)
{
    if (!is_word(&p->tok, "not"))
        return parse_atom(p, out);
    size_t at = p->tok.at;
    if (++p->depth > MAX_DEPTH)
        return syntax(p, at, "nested more than %d levels deep", MAX_DEPTH);
    expr *e = node(p, EXPR_NOT), *inner = NULL;
    int rc;
    if (!e)
        return out_of_memory(p);
    if ((rc = next(p)) || (rc = parse_not(p, &inner)))
        return rc;
    p->depth--;
    e->left = inner;
    *out = e;
    return 0;
}

static int parse_binary(parser *p, expr **out, const char *word, int kind,
                        int (*operand)(parser *, expr **))
{
    int rc = operand(p, out);
    while (rc == 0 && is_word(&p->tok, word)) {
        expr *e = node(p, kind), *right = NULL;
        if (!e)
            return out_of_memory(p);
        if ((rc = next(p)) || (rc = operand(p, &right)))
            return rc;
        e->left = *out;
        e->right = right;
        *out = e;
    }
    return rc;
}

static int parse_and(parser *p, expr **out)
{
    return parse_binary(p, out, "and", EXPR_AND, parse_not);
}

static int parse_or(parser *p, expr **out)
{
    return parse_binary(p, out, "or", EXPR_OR, parse_and);
}

int expr_parse(expr_rule *out, arena *a, const truce_scenario *s, const char *text,
               expr_error *where)
{
    parser p = {text, 0, {0}, a, s, where, 0, 0, NULL, NULL, NULL};
    where->offset = 0;
    where->message[0] = '\0';
    size_t slots = s->total_options, ni = s->n_issues;
    p.scratch = mem_alloc(&a->m, (slots ? slots : 1) * sizeof *p.scratch);
    p.touched = mem_alloc(&a->m, ni ? ni : 1);
    p.used = mem_alloc(&a->m, ni ? ni : 1);
    expr *root = NULL;
    int rc = 0;
    if (!p.scratch || !p.touched || !p.used) {
        rc = out_of_memory(&p);
    } else {
        memset(p.scratch, 0, (slots ? slots : 1) * sizeof *p.scratch);
        memset(p.touched, 0, ni ? ni : 1);
        memset(p.used, 0, ni ? ni : 1);
        if (!(rc = next(&p)) && p.tok.kind == T_END)
            rc = syntax(&p, p.tok.at, "an empty expression");
        if (!rc)
            rc = parse_or(&p, &root);
        if (!rc && p.tok.kind != T_END) {
            char what[64];
            describe(&p, &p.tok, what, sizeof what);
            rc = syntax(&p, p.tok.at, "expected 'and', 'or' or the end, found %s", what);
        }
    }
    uint32_t n = 0, *issues = NULL;
    if (!rc) {
        for (size_t i = 0; i < ni; i++)
            n += p.used[i];
        issues = arena_array(a, n ? n : 1, sizeof *issues);
        char *copy = arena_strdup(a, text);
        if (!issues || !copy) {
            rc = out_of_memory(&p);
        } else {
            n = 0;
            for (size_t i = 0; i < ni; i++)
                if (p.used[i])
                    issues[n++] = (uint32_t)i;
            *out = (expr_rule){copy, root, n, issues};
        }
    }
    if (p.scratch)
        mem_free(&a->m, p.scratch, (slots ? slots : 1) * sizeof *p.scratch);
    if (p.touched)
        mem_free(&a->m, p.touched, ni ? ni : 1);
    if (p.used)
        mem_free(&a->m, p.used, ni ? ni : 1);
    return rc;
}

/* ---- evaluation ---- */

static int compare(int op, double v, double tol)
{
    switch (op) {
    case EXPR_LE:
        return v <= tol;
    case EXPR_LT:
        return v < -tol;
    case EXPR_EQ:
        return fabs(v) <= tol;
    default:
        return fabs(v) > tol;
    }
}

int expr_holds(const expr *e, const uint32_t *o)
{
    switch (e->kind) {
    case EXPR_TRUE:
        return 1;
    case EXPR_FALSE:
        return 0;
    case EXPR_AND:
        return expr_holds(e->left, o) && expr_holds(e->right, o);
    case EXPR_OR:
        return expr_holds(e->left, o) || expr_holds(e->right, o);
    case EXPR_NOT:
        return !expr_holds(e->left, o);
    case EXPR_IN:
        return e->allowed[o[e->issue]] != 0;
    default: {
        double v = e->constant;
        for (uint32_t t = 0; t < e->n_terms; t++)
            v += e->terms[t].value[o[e->terms[t].issue]];
        return compare(e->op, v, e->tolerance);
    }
    }
}

/* Three-valued comparison of the interval [lo, hi] of the sum with 0. */
static int compare_range(int op, double lo, double hi, double tol)
{
    int all = compare(op, lo, tol) && compare(op, hi, tol);
    int none;
    switch (op) {
    case EXPR_LE:
        none = lo > tol;
        break;
    case EXPR_LT:
        none = lo >= -tol;
        break;
    case EXPR_EQ:
        none = lo > tol || hi < -tol;
        break;
    default:
        none = lo >= -tol && hi <= tol;
        break;
    }
    if (op == EXPR_EQ)
        all = lo >= -tol && hi <= tol;
    if (op == EXPR_NE)
        all = lo > tol || hi < -tol;
    return all ? EXPR_YES : none ? EXPR_NO : EXPR_MAYBE;
}

int expr_partial(const expr *e, const uint32_t *o, uint32_t known_from)
{
    switch (e->kind) {
    case EXPR_TRUE:
        return EXPR_YES;
    case EXPR_FALSE:
        return EXPR_NO;
    case EXPR_AND: {
        int l = expr_partial(e->left, o, known_from);
        if (l == EXPR_NO)
            return EXPR_NO;
        int r = expr_partial(e->right, o, known_from);
        return r == EXPR_NO ? EXPR_NO : l == EXPR_YES && r == EXPR_YES ? EXPR_YES : EXPR_MAYBE;
    }
    case EXPR_OR: {
        int l = expr_partial(e->left, o, known_from);
        if (l == EXPR_YES)
            return EXPR_YES;
        int r = expr_partial(e->right, o, known_from);
        return r == EXPR_YES ? EXPR_YES : l == EXPR_NO && r == EXPR_NO ? EXPR_NO : EXPR_MAYBE;
    }
    case EXPR_NOT: {
        int v = expr_partial(e->left, o, known_from);
        return v == EXPR_MAYBE ? EXPR_MAYBE : !v;
    }
    case EXPR_IN:
        if (e->issue < known_from)
            return EXPR_MAYBE;
        return e->allowed[o[e->issue]] ? EXPR_YES : EXPR_NO;
    default: {
        double lo = e->constant, hi = e->constant;
        for (uint32_t t = 0; t < e->n_terms; t++) {
            const expr_term *x = &e->terms[t];
            if (x->issue >= known_from) {
                double v = x->value[o[x->issue]];
                lo += v, hi += v;
            } else {
                lo += x->lo, hi += x->hi;
            }
        }
        return compare_range(e->op, lo, hi, e->tolerance);
    }
    }
}

void expr_options(const expr *e, uint32_t which, uint32_t n_options, uint32_t *scratch,
                  unsigned char *allowed)
{
    for (uint32_t k = 0; k < n_options; k++) {
        scratch[which] = k;
        allowed[k] = (unsigned char)expr_holds(e, scratch);
    }
}
