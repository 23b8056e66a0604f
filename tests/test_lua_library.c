/* test_lua_library.c: the bounded Lua library functions (src/agents/lua_library.c) give what
 * Lua 5.4's own give, results and error messages, on many random subjects and patterns (Lua's
 * library is the independent reference), and charge their work, so that the calls that never
 * ended now stop at a budget. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/lua_library.h"
#include "testutil.h"

/* A budget that counts, and raises "budget spent" past `limit` units. */
typedef struct counter {
    double used, limit;
} counter;

static void count_units(lua_State *L, size_t units, void *payload)
{
    counter *c = payload;
    c->used += (double)units;
    if (c->used > c->limit)
        luaL_error(L, "budget spent");
}

/* Runs `call` (a function of s, p, init) on every case and returns a line per result:
 * the values, or the error message. The same text runs in both states. */
static const char DRIVER[] =
    "local function show(...)\n"
    "  local out = {}\n"
    "  for k = 1, select('#', ...) do\n"
    "    local v = select(k, ...)\n"
    "    out[#out + 1] = type(v) == 'string' and string.format('%q', v) or tostring(v)\n"
    "  end\n"
    "  return table.concat(out, ',')\n"
    "end\n"
    "local function try(f, ...)\n"
    "  local r = table.pack(pcall(f, ...))\n"
    "  if not r[1] then return 'error: ' .. tostring(r[2]) end\n"
    "  return show(table.unpack(r, 2, r.n))\n"
    "end\n"
    "return function(s, p, init)\n"
    "  local lines = {}\n"
    "  local function add(x) lines[#lines + 1] = x end\n"
    "  add(try(string.find, s, p))\n"
    "  add(try(string.find, s, p, init))\n"
    "  add(try(string.find, s, p, init, true))\n"
    "  add(try(string.match, s, p))\n"
    "  add(try(string.match, s, p, init))\n"
    "  add(try(string.gsub, s, p, '<%0>'))\n"
    "  add(try(string.gsub, s, p, '[%1]', 2))\n"
    "  add(try(string.gsub, s, p, function(a, b) return b and a .. b or a:upper() end))\n"
    "  add(try(string.gsub, s, p, {a = 'A', ab = false, [''] = 7}))\n"
    "  add(try(function()\n"
    "    local got = {}\n"
    "    for a, b in string.gmatch(s, p, init) do\n"
    "      got[#got + 1] = show(a, b)\n"
    "      if #got > 50 then break end\n"
    "    end\n"
    "    return table.concat(got, ';')\n"
    "  end))\n"
    "  return table.concat(lines, '\\n')\n"
    "end\n";

static lua_State *new_state(const lua_budget *bounded)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (bounded) {
        lua_getglobal(L, "string");
        lua_getglobal(L, "table");
        lua_library_bound(L, -2, -1, bounded);
        lua_pop(L, 2);
    }
    if (luaL_loadstring(L, DRIVER) || lua_pcall(L, 0, 1, 0))
        fail_msg("driver: %s", lua_tostring(L, -1));
    lua_setglobal(L, "driver");
    return L;
}

/* The driver's text for one case (malloc'd). */
static char *results(lua_State *L, const char *s, size_t ls, const char *p, size_t lp, int init)
{
    lua_getglobal(L, "driver");
    lua_pushlstring(L, s, ls);
    lua_pushlstring(L, p, lp);
    lua_pushinteger(L, init);
    if (lua_pcall(L, 3, 1, 0))
        fail_msg("driver failed: %s", lua_tostring(L, -1));
    char *text = strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return text;
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void compare(lua_State *stock, lua_State *bounded, const char *s, size_t ls, const char *p,
                    size_t lp, int init)
{
    char *want = results(stock, s, ls, p, lp, init);
    char *got = results(bounded, s, ls, p, lp, init);
    if (strcmp(want, got) != 0)
        fail_msg("subject \"%.*s\" pattern \"%.*s\" init %d:\nLua:\n%s\nbounded:\n%s", (int)ls, s,
                 (int)lp, p, init, want, got);
    free(want);
    free(got);
}

/* Pieces patterns are made of: every kind of item, quantifier, capture and anchor, and the
 * malformed ones (a lone %, an unclosed [, %b without its pair, %f without [, a bad %9). */
#define PIECE(text) {text, sizeof text - 1}
static const struct {
    const char *text;
    size_t len;
} PIECES[] = {
    PIECE("a"),     PIECE("b"),      PIECE("("),      PIECE(")"),     PIECE("()"),
    PIECE("."),     PIECE("%a"),     PIECE("%d"),     PIECE("%s"),    PIECE("%w"),
    PIECE("%A"),    PIECE("%p"),     PIECE("%x"),     PIECE("%u"),    PIECE("%l"),
    PIECE("%c"),    PIECE("%g"),     PIECE("%z"),     PIECE("%%"),    PIECE("%."),
    PIECE("[ab]"),  PIECE("[^a]"),   PIECE("[a-c]"),  PIECE("[]]"),   PIECE("[^]a]"),
    PIECE("[%a_]"), PIECE("[a-]"),   PIECE("[%]]"),   PIECE("["),     PIECE("%b()"),
    PIECE("%bab"),  PIECE("%b"),     PIECE("%f[%a]"), PIECE("%f[a]"), PIECE("%f"),
    PIECE("%1"),    PIECE("%2"),     PIECE("%0"),     PIECE("*"),     PIECE("+"),
    PIECE("-"),     PIECE("?"),      PIECE("$"),      PIECE("^"),     PIECE("%"),
    PIECE("x"),     PIECE("\xC3"),   PIECE("\0"),     PIECE("[\0]"),  PIECE("%f[%z]"),
    PIECE("[%d-]"), PIECE("[b-a]"),  PIECE("%bxy"),   PIECE("(("),    PIECE("))"),
    PIECE("(a*)"),  PIECE("(.-)"),   PIECE("%1%1")};

static void test_bounded_functions_agree_with_lua_on_random_patterns(void **state)
{
    (void)state;
    counter c = {0, 1e300};
    lua_budget budget = {count_units, &c};
    lua_State *stock = new_state(NULL), *bounded = new_state(&budget);
    static const char alphabet[] = "aabbxy()[]%.-^$ 0_\xC3\xA9\n";
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    size_t n_pieces = sizeof PIECES / sizeof PIECES[0];
    for (int round = 0; round < 6000; round++) {
        char s[24], p[64];
        size_t ls = next_random(&seed) % sizeof s, lp = 0;
        for (size_t k = 0; k < ls; k++)
            s[k] = alphabet[next_random(&seed) % (sizeof alphabet - 1)];
        size_t items = next_random(&seed) % 8;
        for (size_t k = 0; k < items; k++) {
            size_t pick = next_random(&seed) % n_pieces, len = PIECES[pick].len;
            if (lp + len > sizeof p)
                break;
            memcpy(p + lp, PIECES[pick].text, len);
            lp += len;
        }
        int init = (int)(next_random(&seed) % 9) - 4;
        compare(stock, bounded, s, ls, p, lp, init);
    }
    /* the work was charged */
    assert_true(c.used > 6000);
    lua_close(stock);
    lua_close(bounded);
}

/* Hand-picked cases: depth ("pattern too complex"), 32 captures, position captures, anchors in
 * gmatch (no anchor there), empty matches, gsub's count, and the replacement errors. */
static void test_bounded_functions_agree_with_lua_on_chosen_cases(void **state)
{
    (void)state;
    counter c = {0, 1e300};
    lua_budget budget = {count_units, &c};
    lua_State *stock = new_state(NULL), *bounded = new_state(&budget);
    char deep[1200] = "", many[200] = "", text[400];
    for (int k = 0; k < 300; k++)
        strcat(deep, "a?");
    for (int k = 0; k < 33; k++)
        strcat(many, "(a)");
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    const char *cases[][2] = {
        {text, deep},
        {text, many},
        {text, many + 3},
        {"hello world from Lua", "()(%w+)()"},
        {"^a^a", "^a"},
        {"abc", ""},
        {"", ""},
        {"abc", "x*"},
        {"THE (quick) fox", "%f[%a]%a+"},
        {"x = 1, y = 22", "(%w+)%s*=%s*(%w+)"},
        {"f(a(b)c)d", "%b()"},
        {"hello", "(h)(e)(l)(l)(o)"},
        {"abc", "%"},
        {"abc", "[a"},
        {"abc", "(()"},
        {"abc", "a)"},
        {"aaa", "(a)%1"},
        {"aXa", "()%1"},
        {"a.b", "%.b$"},
        {"a$b", "a$b"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        for (int init = -2; init <= 3; init++)
            compare(stock, bounded, cases[k][0], strlen(cases[k][0]), cases[k][1],
                    strlen(cases[k][1]), init);
    lua_close(stock);
    lua_close(bounded);
}

/* Fails at the first line where got differs from want (cmocka cuts long strings). */
static void assert_same_lines(const char *want, const char *got)
{
    for (int line = 1;; line++) {
        size_t a = strcspn(want, "\n"), b = strcspn(got, "\n");
        if (a != b || memcmp(want, got, a) != 0)
            fail_msg("line %d: Lua gives \"%.*s\", the bounded function \"%.*s\"", line, (int)a,
                     want, (int)b, got);
        if (!want[a])
            return;
        want += a + 1;
        got += b + 1;
    }
}

/* string.rep and table.insert/remove/move against Lua's own, errors included. */
static void test_rep_and_table_functions_agree_with_lua(void **state)
{
    (void)state;
    counter c = {0, 1e300};
    lua_budget budget = {count_units, &c};
    lua_State *stock = new_state(NULL), *bounded = new_state(&budget);
    static const char script[] =
        "local out = {}\n"
        "local function try(f, ...)\n"
        "  local ok, a, b = pcall(f, ...)\n"
        "  local function text(v) return type(v) == 'table' and 'a table' or tostring(v) end\n"
        "  out[#out + 1] = tostring(ok) .. ' ' .. text(a) .. ' ' .. text(b)\n"
        "end\n"
        "local function dump(t) local s = {} for k = -1, 8 do s[#s + 1] = tostring(t[k]) end\n"
        "  out[#out + 1] = table.concat(s, ' ') end\n"
        "try(string.rep, 'ab', 3, '-') try(string.rep, 'ab', 0) try(string.rep, 'x', -2)\n"
        "try(string.rep, 'x', 2.5) try(string.rep) try(string.rep, {}, 1)\n"
        "local t = {1, 2, 3}\n"
        "try(table.insert, t, 'x') dump(t) try(table.insert, t, 1, 'y') dump(t)\n"
        "try(table.insert, t, 7, 'z') try(table.insert, t, 0, 'z') try(table.insert, t)\n"
        "try(table.insert, t, 1, 2, 3) try(table.insert, 'abc', 1) try(table.insert, nil, 1)\n"
        "try(table.insert, t, #t + 1, 'end') dump(t)\n"
        "try(table.remove, t) dump(t) try(table.remove, t, 1) dump(t)\n"
        "try(table.remove, t, #t + 1) try(table.remove, t, #t + 2) try(table.remove, {}, 0)\n"
        "try(table.remove, {}) try(table.remove, {}, -1) dump(t)\n"
        "local m = {1, 2, 3, 4, 5}\n"
        "try(table.move, m, 2, 4, 1) dump(m) try(table.move, m, 1, 3, 3) dump(m)\n"
        "local d = {} try(table.move, m, 1, 5, 2, d) dump(d)\n"
        "try(table.move, m, 1, 0, 1) try(table.move, m, math.mininteger, -1, 1)\n"
        "try(table.move, m, 1, 2, math.maxinteger) try(table.move, m, 1, 'x', 1)\n"
        "try(table.move, 1, 1, 2, 1)\n"
        "local p = setmetatable({}, {__index = function(_, k) return k * 10 end,\n"
        "  __newindex = function(t, k, v) rawset(t, k, v) end, __len = function() return 3 end})\n"
        "try(table.remove, p, 1) try(table.insert, p, 2, 'v') try(table.move, p, 1, 3, 2)\n"
        "for k = 1, 5 do out[#out + 1] = tostring(rawget(p, k)) end\n"
        "return table.concat(out, '\\n')\n";
    const char *texts[2];
    lua_State *states[2] = {stock, bounded};
    for (int k = 0; k < 2; k++) {
        if (luaL_loadstring(states[k], script) || lua_pcall(states[k], 0, 1, 0))
            fail_msg("%s", lua_tostring(states[k], -1));
        texts[k] = lua_tostring(states[k], -1);
    }
    assert_same_lines(texts[0], texts[1]);
    lua_close(stock);
    lua_close(bounded);
}

/* The calls that never ended with Lua's own functions stop at the budget, soon. */
static void test_endless_library_calls_stop_at_the_budget(void **state)
{
    (void)state;
    const char *calls[] = {
        "string.rep('', math.maxinteger)",
        "string.rep('', math.maxinteger, '')",
        "table.move({}, 1, math.maxinteger - 2, 2)",
        "table.move({}, -5, math.maxinteger - 10, 1, {})",
        "string.find(string.rep('a', 200000), '.-b')",
        "string.match(string.rep('a', 200000), '.-.-b')",
        "string.gsub(string.rep('a', 200000), '.-b', '')",
        "for _ in string.gmatch(string.rep('a', 200000), '(.-)b') do end",
        "string.find(string.rep('a', 1e6), 'aab', 1, true)",
        "string.find(string.rep('(', 100000), '%b()')",
        "table.insert(setmetatable({}, {__len = function() return math.maxinteger - 1 end}), 1, 0)",
        "table.remove(setmetatable({}, {__len = function() return math.maxinteger end}), 1)",
    };
    for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++) {
        counter c = {0, 1e6};
        lua_budget budget = {count_units, &c};
        lua_State *L = new_state(&budget);
        c.used = 0; /* the driver's own set-up is not counted */
        int rc = luaL_loadstring(L, calls[k]) || lua_pcall(L, 0, 0, 0);
        if (!rc)
            fail_msg("%s ran to its end", calls[k]);
        assert_contains(lua_tostring(L, -1), "budget spent");
        /* charged in small steps: stopped soon after the limit */
        assert_true(c.used <= 1e6 + 8192 || strstr(calls[k], "rep") || strstr(calls[k], "move"));
        lua_close(L);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounded_functions_agree_with_lua_on_random_patterns),
        cmocka_unit_test(test_bounded_functions_agree_with_lua_on_chosen_cases),
        cmocka_unit_test(test_rep_and_table_functions_agree_with_lua),
        cmocka_unit_test(test_endless_library_calls_stop_at_the_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
