/* fuzz_lua_library.c: libFuzzer target for the Lua library functions a sandboxed agent calls
 * that loop in C (src/agents/lua_library.c): pattern matching, string.rep, table.insert/remove/
 * move. Every call must end within its budget; small ones must agree with Lua's own. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/agents/lua_library.h"
#include "fuzzutil.h"

/* Units a call may spend (a few milliseconds' work): the calls that ran forever stop here. */
#define BUDGET 2e5

typedef struct counter {
    double used;
} counter;

static void count_units(lua_State *L, size_t units, void *payload)
{
    counter *c = payload;
    c->used += (double)units;
    if (c->used > BUDGET)
        luaL_error(L, "budget spent");
}

/* Calls on (s, p, r, a, b) through pcall, each result or error message appended to one line:
 * the same text runs in both states. */
static const char DRIVER[] =
    "local s, p, r, a, b = ...\n"
    "local out = {}\n"
    "local function show(ok, ...)\n"
    "  local t = {tostring(ok)}\n"
    "  for k = 1, select('#', ...) do\n"
    "    local v = select(k, ...)\n"
    "    t[#t + 1] = type(v) == 'table' and 'table' or tostring(v)\n"
    "  end\n"
    "  out[#out + 1] = table.concat(t, ' ')\n"
    "end\n"
    "show(pcall(string.find, s, p, a))\n"
    "show(pcall(string.find, s, p, a, true))\n"
    "show(pcall(string.match, s, p, b))\n"
    "show(pcall(string.gsub, s, p, r, b))\n"
    "show(pcall(string.gsub, s, p, {a = r}))\n"
    "show(pcall(string.gsub, s, p, function(x) return x .. r end))\n"
    "show(pcall(function()\n"
    "  local n = 0\n"
    "  for x in string.gmatch(s, p, a) do n = n + 1; if n > 40 then break end end\n"
    "  return n\n"
    "end))\n"
    "show(pcall(string.rep, r, a, p))\n"
    "local t = {1, 2, 3, 4}\n"
    "show(pcall(table.move, t, a, b, a + b, {}))\n"
    "show(pcall(table.insert, t, a, r))\n"
    "show(pcall(table.remove, t, b))\n"
    "return table.concat(out, '\\n')\n";

static char *run(const lua_budget *bounded, const char *s, size_t ls, const char *p, size_t lp,
                 const char *r, size_t lr, lua_Integer a, lua_Integer b, int *spent)
{
    lua_State *L = luaL_newstate();
    FUZZ_CHECK(L != NULL);
    luaL_openlibs(L);
    if (bounded) {
        lua_getglobal(L, "string");
        lua_getglobal(L, "table");
        lua_library_bound(L, -2, -1, bounded);
        lua_pop(L, 2);
    }
    char *text = NULL;
    if (luaL_loadstring(L, DRIVER) == LUA_OK) {
        lua_pushlstring(L, s, ls);
        lua_pushlstring(L, p, lp);
        lua_pushlstring(L, r, lr);
        lua_pushinteger(L, a);
        lua_pushinteger(L, b);
        if (lua_pcall(L, 5, 1, 0) == LUA_OK) {
            const char *t = lua_tostring(L, -1);
            text = strdup(t ? t : "");
        }
    }
    FUZZ_CHECK(text != NULL);
    *spent = strstr(text, "budget spent") != NULL;
    lua_close(L);
    return text;
}

/* Input: two bytes for the integers a and b, then subject, pattern and replacement separated
 * by NUL bytes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4096)
        return 0;
    /* small integers, negative ones and the extremes Lua's own functions overflowed on */
    static const lua_Integer extremes[] = {LUA_MININTEGER, LUA_MAXINTEGER, LUA_MAXINTEGER - 2,
                                           -LUA_MAXINTEGER, 1000000};
    lua_Integer a = (int8_t)data[0], b = (int8_t)data[1];
    if (data[0] >= 0xFB)
        a = extremes[data[0] - 0xFB];
    if (data[1] >= 0xFB)
        b = extremes[data[1] - 0xFB];
    const char *rest = (const char *)data + 2, *end = (const char *)data + size;
    const char *parts[3] = {"", "", ""};
    size_t lens[3] = {0, 0, 0};
    for (int k = 0; k < 3 && rest <= end; k++) {
        const char *nul = memchr(rest, 0, (size_t)(end - rest));
        parts[k] = rest;
        lens[k] = nul ? (size_t)(nul - rest) : (size_t)(end - rest);
        rest += lens[k] + 1;
    }
    counter c = {0};
    lua_budget budget = {count_units, &c};
    int spent = 0, unused = 0;
    char *got = run(&budget, parts[0], lens[0], parts[1], lens[1], parts[2], lens[2], a, b, &spent);
    /* Lua's own, only where it surely ends soon: short subjects and patterns, small counts */
    int small = lens[0] <= 24 && lens[1] <= 12 && a > -64 && a < 64 && b > -64 && b < 64;
    if (small && !spent) {
        char *want = run(NULL, parts[0], lens[0], parts[1], lens[1], parts[2], lens[2], a, b,
                         &unused);
        if (strcmp(want, got) != 0) {
            fprintf(stderr, "Lua:\n%s\nbounded:\n%s\n", want, got);
            FUZZ_CHECK(strcmp(want, got) == 0);
        }
        free(want);
    }
    if (fuzz_verbose())
        fprintf(stderr, "fuzz_lua_library: %.0f units%s\n", c.used, spent ? " (budget spent)" : "");
    free(got);
    return 0;
}
