/* lua_library.c: string.find/match/gmatch/gsub (Lua patterns as the Lua 5.4 manual, section
 * 6.4.1, defines them), string.rep and table.insert/remove/move, charging their work to a budget
 * so that no single call of a sandboxed script can run without end. */
#include "lua_library.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#define MAX_CAPTURES 32 /* LUA_MAXCAPTURES */
#define MAX_DEPTH 200   /* nesting of the matcher before "pattern too complex", as Lua's */
#define FLUSH 4096      /* units gathered before the budget is charged */
#define CAP_OPEN (-1)
#define CAP_POSITION (-2)
#define SPECIALS "^$*+?.([%-"

/* The budget is upvalue 1 of every function here. */
static const lua_budget *budget_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static void charge(lua_State *L, size_t units)
{
    const lua_budget *b = budget_of(L);
    b->charge(L, units, b->payload);
}

/* ---- the matcher ---- */

typedef struct matcher {
    lua_State *L;
    size_t pending; /* units not yet charged */
    const char *subject, *subject_end, *pattern_end;
    int depth; /* nesting left */
    int level; /* captures opened */
    struct {
        const char *start;
        ptrdiff_t len; /* or CAP_OPEN, CAP_POSITION */
    } cap[MAX_CAPTURES];
} matcher;

static void spend(matcher *m, size_t units)
{
    m->pending += units;
    if (m->pending >= FLUSH) {
        size_t n = m->pending;
        m->pending = 0;
        charge(m->L, n);
    }
}

static void settle(matcher *m)
{
    size_t n = m->pending;
    m->pending = 0;
    if (n)
        charge(m->L, n);
}

/* %a, %d, ...: c in class letter cl (its complement when cl is upper case); any other
 * character after % stands for itself. */
static int in_class(int c, int cl)
{
    int in;
    switch (tolower(cl)) {
    case 'a': in = isalpha(c); break;
    case 'c': in = iscntrl(c); break;
    case 'd': in = isdigit(c); break;
    case 'g': in = isgraph(c); break;
    case 'l': in = islower(c); break;
    case 'p': in = ispunct(c); break;
    case 's': in = isspace(c); break;
    case 'u': in = isupper(c); break;
    case 'w': in = isalnum(c); break;
    case 'x': in = isxdigit(c); break;
    case 'z': in = c == 0; break; /* Lua 5.1's class for '\0', still honoured by 5.4 */
    default: return cl == c;
    }
    in = in != 0;
    return isupper(cl) ? !in : in;
}

/* [set] from open (at '[') to close (at its ']'): members, ranges x-y, %classes, ^ first. */
static int in_set(int c, const char *open, const char *close)
{
    const char *p = open + 1;
    int found = 1;
    if (*p == '^') {
        found = 0;
        p++;
    }
    while (p < close) {
        if (*p == '%') {
            if (in_class(c, (unsigned char)p[1]))
                return found;
            p += 2;
        } else if (p + 2 < close && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return found;
            p += 3;
        } else {
            if ((unsigned char)*p == c)
                return found;
            p++;
        }
    }
    return !found;
}

/* The end of the single-character class starting at p. */
static const char *class_end(matcher *m, const char *p)
{
    char c = *p++;
    if (c == '%') {
        if (p >= m->pattern_end)
            luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c != '[')
        return p;
    if (p < m->pattern_end && *p == '^')
        p++;
    /* the first character is a member even when it is ']' */
    do {
        if (p >= m->pattern_end)
            luaL_error(m->L, "malformed pattern (missing ']')");
        c = *p++;
        if (c == '%' && p < m->pattern_end)
            p++;
    } while (p >= m->pattern_end || *p != ']');
    return p + 1;
}

/* Whether the subject character at s is in the class p..ep. */
static int single(const matcher *m, const char *s, const char *p, const char *ep)
{
    if (s >= m->subject_end)
        return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match_here(matcher *m, const char *s, const char *p);

/* class* (and class+ after its first character): the longest run first. */
static const char *longest(matcher *m, const char *s, const char *p, const char *ep)
{
    size_t n = 0;
    while (single(m, s + n, p, ep))
        n++;
    spend(m, n + 1);
    for (;;) {
        const char *end = match_here(m, s + n, ep + 1);
        if (end || n == 0)
            return end;
        n--;
    }
}

/* class-: the shortest run first. */
static const char *shortest(matcher *m, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *end = match_here(m, s, ep + 1);
        if (end || !single(m, s, p, ep))
            return end;
        s++;
        spend(m, 1);
    }
}

static const char *open_capture(matcher *m, const char *s, const char *p, ptrdiff_t kind)
{
    if (m->level >= MAX_CAPTURES)
        luaL_error(m->L, "too many captures");
    m->cap[m->level].start = s;
    m->cap[m->level].len = kind;
    m->level++;
    const char *end = match_here(m, s, p);
    if (!end)
        m->level--;
    return end;
}

static const char *close_capture(matcher *m, const char *s, const char *p)
{
    int k = m->level - 1;
    while (k >= 0 && m->cap[k].len != CAP_OPEN)
        k--;
    if (k < 0)
        luaL_error(m->L, "invalid pattern capture");
    m->cap[k].len = s - m->cap[k].start;
    const char *end = match_here(m, s, p);
    if (!end)
        m->cap[k].len = CAP_OPEN;
    return end;
}

/* %bxy at p (p at x): a run from x to its balancing y. */
static const char *balanced(matcher *m, const char *s, const char *p)
{
    if (p + 1 >= m->pattern_end)
        luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0])
        return NULL;
    const char *from = s;
    size_t open = 1;
    while (++s < m->subject_end) {
        if (*s == p[1]) {
            if (--open == 0) {
                spend(m, (size_t)(s - from));
                return s + 1;
            }
        } else if (*s == p[0]) {
            open++;
        }
    }
    spend(m, (size_t)(s - from));
    return NULL;
}

/* %1 .. %9: the text of a closed capture again. */
static const char *same_as_capture(matcher *m, const char *s, int digit)
{
    int k = digit - '1';
    if (k < 0 || k >= m->level || m->cap[k].len == CAP_OPEN)
        luaL_error(m->L, "invalid capture index %%%d", k + 1);
    ptrdiff_t len = m->cap[k].len;
    if (len < 0 || m->subject_end - s < len) /* a position capture never matches */
        return NULL;
    spend(m, (size_t)len);
    return memcmp(m->cap[k].start, s, (size_t)len) == 0 ? s + len : NULL;
}

/* Match the pattern from p against the subject from s: the end of the match, or NULL. Simple
 * items loop here; items with choices (?, *, +, -, captures) recurse for the rest. */
static const char *match_here(matcher *m, const char *s, const char *p)
{
    if (m->depth-- == 0)
        luaL_error(m->L, "pattern too complex");
    spend(m, 1);
    const char *end = NULL;
    for (;;) {
        if (p == m->pattern_end) {
            end = s;
            break;
        }
        if (*p == '(') {
            end = p + 1 < m->pattern_end && p[1] == ')' ? open_capture(m, s, p + 2, CAP_POSITION)
                                                        : open_capture(m, s, p + 1, CAP_OPEN);
            break;
        }
        if (*p == ')') {
            end = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            end = s == m->subject_end ? s : NULL;
            break;
        }
        if (*p == '%' && p + 1 < m->pattern_end && p[1] == 'b') {
            s = balanced(m, s, p + 2);
            if (!s)
                break;
            p += 4;
            continue;
        }
        if (*p == '%' && p + 1 < m->pattern_end && p[1] == 'f') {
            p += 2;
            if (p >= m->pattern_end || *p != '[')
                luaL_error(m->L, "missing '[' after '%%f' in pattern");
            const char *ep = class_end(m, p);
            int before = s == m->subject ? 0 : (unsigned char)s[-1];
            int here = s < m->subject_end ? (unsigned char)*s : 0;
            if (in_set(before, p, ep - 1) || !in_set(here, p, ep - 1))
                break;
            p = ep;
            continue;
        }
        if (*p == '%' && p + 1 < m->pattern_end && isdigit((unsigned char)p[1])) {
            s = same_as_capture(m, s, p[1]);
            if (!s)
                break;
            p += 2;
            continue;
        }
        /* a single-character class, perhaps followed by ?, *, + or - */
        const char *ep = class_end(m, p);
        char op = ep < m->pattern_end ? *ep : '\0';
        if (!single(m, s, p, ep)) {
            if (op != '*' && op != '?' && op != '-')
                break;
            p = ep + 1; /* matched zero times, without nesting deeper (as Lua counts depth) */
            continue;
        }
        if (op == '?') {
            if ((end = match_here(m, s + 1, ep + 1)))
                break;
            p = ep + 1;
            continue;
        }
        if (op == '*' || op == '+') {
            end = longest(m, op == '*' ? s : s + 1, p, ep);
            break;
        }
        if (op == '-') {
            end = shortest(m, s, p, ep);
            break;
        }
        s++;
        p = ep;
    }
    m->depth++;
    return end;
}

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls, const char *p,
                         size_t lp)
{
    m->L = L;
    m->pending = 0;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
}

/* Try the pattern at s afresh. */
static const char *match_at(matcher *m, const char *s, const char *p)
{
    m->level = 0;
    m->depth = MAX_DEPTH;
    return match_here(m, s, p);
}

/* Push capture k of the match s..e (k 0 with no captures: the whole match). */
static void push_capture(matcher *m, int k, const char *s, const char *e)
{
    if (k >= m->level) {
        if (k != 0)
            luaL_error(m->L, "invalid capture index %%%d", k + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t len = m->cap[k].len;
    if (len == CAP_OPEN)
        luaL_error(m->L, "unfinished capture");
    if (len == CAP_POSITION)
        lua_pushinteger(m->L, (lua_Integer)(m->cap[k].start - m->subject) + 1);
    else
        lua_pushlstring(m->L, m->cap[k].start, (size_t)len);
}

/* Push every capture (the whole match when there are none and s is given); how many. */
static int push_captures(matcher *m, const char *s, const char *e)
{
    int n = m->level == 0 && s ? 1 : m->level;
    luaL_checkstack(m->L, n, "too many captures");
    for (int k = 0; k < n; k++)
        push_capture(m, k, s, e);
    return n;
}

/* ---- string.find, match, gmatch, gsub ---- */

/* A start position of Lua's string functions (1-based, negative from the end) as an offset;
 * may be past the end. */
static size_t start_offset(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return len + (size_t)pos;
}

static int has_specials(const char *p, size_t lp)
{
    for (size_t k = 0; k < lp; k++)
        if (strchr(SPECIALS, p[k]) && p[k] != '\0')
            return 1;
    return 0;
}

/* Plain search for p in s; charges the characters looked at. */
static const char *plain_find(matcher *m, const char *s, size_t ls, const char *p, size_t lp)
{
    if (lp == 0)
        return s;
    if (lp > ls)
        return NULL;
    const char *at = s, *last = s + (ls - lp);
    while (at <= last) {
        const char *hit = memchr(at, p[0], (size_t)(last - at) + 1);
        spend(m, (size_t)((hit ? hit : last) - at) + 1);
        if (!hit)
            return NULL;
        spend(m, lp);
        if (memcmp(hit + 1, p + 1, lp - 1) == 0)
            return hit;
        at = hit + 1;
    }
    return NULL;
}

static int find_or_match(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        lua_pushnil(L);
        return 1;
    }
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *at = plain_find(&m, s + init, ls - init, p, lp);
        settle(&m);
        if (!at) {
            lua_pushnil(L);
            return 1;
        }
        lua_pushinteger(L, (lua_Integer)(at - s) + 1);
        lua_pushinteger(L, (lua_Integer)(at - s + (ptrdiff_t)lp));
        return 2;
    }
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        m.pattern_end = p + lp - 1;
    }
    const char *from = s + init;
    for (;;) {
        const char *e = match_at(&m, from, p);
        if (e) {
            settle(&m);
            if (!find)
                return push_captures(&m, from, e);
            lua_pushinteger(L, (lua_Integer)(from - s) + 1);
            lua_pushinteger(L, (lua_Integer)(e - s));
            return push_captures(&m, NULL, NULL) + 2;
        }
        if (anchored || from >= m.subject_end)
            break;
        from++;
    }
    settle(&m);
    lua_pushnil(L);
    return 1;
}

static int bounded_find(lua_State *L)
{
    return find_or_match(L, 1);
}

static int bounded_match(lua_State *L)
{
    return find_or_match(L, 0);
}

/* The gmatch iterator; upvalues: the budget, the subject, the pattern, the next start and the
 * end of the last match (-1: none), both as offsets. */
static int gmatch_next(lua_State *L)
{
    size_t ls, lp;
    const char *s = lua_tolstring(L, lua_upvalueindex(2), &ls);
    const char *p = lua_tolstring(L, lua_upvalueindex(3), &lp);
    lua_Integer from = lua_tointeger(L, lua_upvalueindex(4));
    lua_Integer last = lua_tointeger(L, lua_upvalueindex(5));
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    for (; from <= (lua_Integer)ls; from++) {
        const char *e = match_at(&m, s + from, p);
        if (e && e - s != last) {
            settle(&m);
            lua_pushinteger(L, (lua_Integer)(e - s));
            lua_pushvalue(L, -1);
            lua_replace(L, lua_upvalueindex(4));
            lua_replace(L, lua_upvalueindex(5));
            return push_captures(&m, s + from, e);
        }
    }
    lua_pushinteger(L, from);
    lua_replace(L, lua_upvalueindex(4));
    settle(&m);
    return 0;
}

static int bounded_gmatch(lua_State *L)
{
    size_t ls;
    luaL_checklstring(L, 1, &ls);
    luaL_checkstring(L, 2);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls)
        init = ls + 1; /* starts past the end: no match */
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_pushinteger(L, (lua_Integer)init);
    lua_pushinteger(L, -1);
    lua_pushcclosure(L, gmatch_next, 5);
    return 1;
}

/* The replacement string with %0 .. %9 and %% for the match s..e, into b. */
static void add_replacement(matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
    size_t len;
    const char *r = lua_tolstring(m->L, 3, &len);
    const char *end = r + len;
    spend(m, len);
    for (;;) {
        const char *pct = memchr(r, '%', (size_t)(end - r));
        if (!pct) {
            luaL_addlstring(b, r, (size_t)(end - r));
            return;
        }
        luaL_addlstring(b, r, (size_t)(pct - r));
        char c = pct + 1 < end ? pct[1] : '\0';
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)c)) {
            push_capture(m, c - '1', s, e);
            luaL_tolstring(m->L, -1, NULL);
            lua_remove(m->L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(m->L, "invalid use of '%c' in replacement string", '%');
        }
        r = pct + 2;
    }
}

/* Add what replaces the match s..e; whether the text changed. */
static int add_value(matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind)
{
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) { /* nil or false: the match stays */
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int bounded_gsub(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L,
                     kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION ||
                         kind == LUA_TTABLE,
                     3, "string/function/table");
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        m.pattern_end = p + lp - 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *from = s, *last = NULL;
    lua_Integer n = 0;
    int changed = 0;
    while (n < max) {
        const char *e = match_at(&m, from, p);
        if (e && e != last) {
            n++;
            changed |= add_value(&m, &b, from, e, kind);
            from = last = e;
        } else if (from < m.subject_end) {
            luaL_addchar(&b, *from++);
            spend(&m, 1);
        } else {
            break;
        }
        if (anchored)
            break;
    }
    settle(&m);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, from, (size_t)(m.subject_end - from));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* ---- string.rep ---- */

/* Lua's own (upvalue 2), once its repetitions are paid for: the empty string repeated
 * math.maxinteger times costs no memory but loops that often. */
static int bounded_rep(lua_State *L)
{
    luaL_checkstring(L, 1);
    lua_Integer n = luaL_checkinteger(L, 2);
    if (n > 0)
        charge(L, (size_t)n);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* ---- table.insert, remove, move ---- */

enum { NEED_READ = 1, NEED_WRITE = 2, NEED_LENGTH = 4 };

/* A table, or a value whose metatable gives what is needed (__index, __newindex, __len). */
static void check_table(lua_State *L, int arg, int need)
{
    if (lua_type(L, arg) == LUA_TTABLE)
        return;
    int ok = lua_getmetatable(L, arg);
    if (ok) {
        int top = lua_gettop(L);
        static const char *const fields[] = {"__index", "__newindex", "__len"};
        for (int k = 0; k < 3; k++) {
            if (!(need & (1 << k)))
                continue;
            lua_pushstring(L, fields[k]);
            ok = ok && lua_rawget(L, top) != LUA_TNIL;
        }
        lua_settop(L, top - 1);
    }
    if (!ok)
        luaL_checktype(L, arg, LUA_TTABLE); /* raises the usual message */
}

/* Elements moved one at a time, each charged: t[to] = s[from]. */
static void move_one(lua_State *L, int source, lua_Integer from, int target, lua_Integer to)
{
    charge(L, 1);
    lua_geti(L, source, from);
    lua_seti(L, target, to);
}

static int bounded_insert(lua_State *L)
{
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LENGTH);
    lua_Integer end = (lua_Integer)((lua_Unsigned)luaL_len(L, 1) + 1u); /* first empty slot */
    lua_Integer pos;
    switch (lua_gettop(L)) {
    case 2: pos = end; break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        /* 1 <= pos <= end, in unsigned arithmetic as Lua does */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)end, 2, "position out of bounds");
        for (lua_Integer i = end; i > pos; i--)
            move_one(L, 1, i - 1, 1, i);
        break;
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int bounded_remove(lua_State *L)
{
    check_table(L, 1, NEED_READ | NEED_WRITE | NEED_LENGTH);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) /* 1 <= pos <= size + 1; Lua 5.4.4 names argument 1 here */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1,
                      "position out of bounds");
    lua_geti(L, 1, pos);
    for (; pos < size; pos++)
        move_one(L, 1, pos + 1, 1, pos);
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int bounded_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int target = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table(L, 1, NEED_READ);
    check_table(L, target, NEED_WRITE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1; /* elements to move */
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        /* forwards unless the ranges overlap with the destination after the source */
        if (t > e || t <= f || (target != 1 && !lua_compare(L, 1, target, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++)
                move_one(L, 1, f + i, target, t + i);
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--)
                move_one(L, 1, f + i, target, t + i);
        }
    }
    lua_pushvalue(L, target);
    return 1;
}

/* ---- registration ---- */

static void set(lua_State *L, int table, const char *name, lua_CFunction f, const lua_budget *b,
                int keep_original)
{
    lua_pushlightuserdata(L, (void *)b);
    if (keep_original)
        lua_getfield(L, table, name);
    lua_pushcclosure(L, f, keep_original ? 2 : 1);
    lua_setfield(L, table, name);
}

void lua_library_bound(lua_State *L, int string_idx, int table_idx, const lua_budget *budget)
{
    string_idx = lua_absindex(L, string_idx);
    table_idx = lua_absindex(L, table_idx);
    set(L, string_idx, "find", bounded_find, budget, 0);
    set(L, string_idx, "match", bounded_match, budget, 0);
    set(L, string_idx, "gmatch", bounded_gmatch, budget, 0);
    set(L, string_idx, "gsub", bounded_gsub, budget, 0);
    set(L, string_idx, "rep", bounded_rep, budget, 1);
    set(L, table_idx, "insert", bounded_insert, budget, 0);
    set(L, table_idx, "remove", bounded_remove, budget, 0);
    set(L, table_idx, "move", bounded_move, budget, 0);
}
