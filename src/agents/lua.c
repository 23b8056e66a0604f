/* lua.c: agents written as Lua 5.4 scripts (lua:PATH:key=value), one Lua state per agent
 * instance, sandboxed: safe libraries only, instruction and memory limits.
 * The state is made and the script compiled once per negotiation handle; each run gets fresh
 * globals and fresh copies of the libraries (made on first use), so runs do not see each other. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "external.h"
#include "lua_library.h"

#define DEFAULT_MAX_INSTRUCTIONS 1e7
#define DEFAULT_MAX_MEMORY (32.0 * 1024 * 1024)
#define DEFAULT_MAX_SECONDS 10.0
#define HOOK_STEP 1000
#define MAX_SCRIPT (4 * 1024 * 1024)

typedef struct event {
    int kind;
    size_t actor;
    uint64_t round;
    double time;
} event;

typedef struct lua_agent {
    const truce_space *sp;
    const truce_scenario *s;
    size_t party, ni;
    uint64_t max_rounds;
    rng r;
    double max_instructions, instructions;
    double max_seconds, call_start; /* wall clock: a backstop for work instructions miss */
    double unclocked;               /* units charged since the clock was last read */
    size_t max_memory, memory;
    lua_State *L;
    int started, failed;
    int use_act; /* the script defines act(state, offer): one call per turn */
    char path[512];
    const char *script_params; /* "key=value:..." after the path, borrowed from the setup */
    char message[600];
    /* every action seen, with its offer (ni options) when it has one */
    event *events;
    uint32_t *offers;
    size_t n_events, cap_events, n_synced;
    int out_of_memory;
    /* opponent model: how often each option slot appeared in others' offers */
    double *count, *max_count;
    size_t n_opponent_offers;
    uint32_t *scratch;
} lua_agent;

/* Registry keys (their addresses): the compiled script, the pristine globals the sandbox
 * opened, the metatables of this run's globals and info, the set of global names this
 * run has taken from the pristine ones, this run's state and history tables, and the turn
 * function (a closure holding the names it sets, interned once). */
static const char chunk_key, pristine_key, globals_mt_key, info_mt_key, loaded_key, state_key,
    history_key, turn_key;

/* What one protected call works on. */
typedef struct call {
    lua_agent *a;
    const truce_turn *turn;
    truce_action_kind *kind;
    uint32_t *offer;
    const truce_draft *draft;
    truce_review *answer;
    const char *code, *chunkname; /* the script, when compiling */
    size_t len;
} call;

static lua_agent *agent_of(lua_State *L)
{
    return *(lua_agent **)lua_getextraspace(L);
}

/* ---- limits ---- */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lua_agent *a = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        a->memory -= old;
        return NULL;
    }
    if (nsize > old && a->memory + (nsize - old) > a->max_memory)
        return NULL; /* Lua collects garbage and retries before it gives up */
    void *p = realloc(ptr, nsize);
    if (p)
        a->memory = a->memory - old + nsize;
    return p;
}

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* The call is over a limit: raise the error, with the script's file and line (the innermost
 * Lua function's), and from now on fail every instruction, so that a script catching the error
 * with pcall cannot go on. */
static void over_limit(lua_State *L, const lua_agent *a, int seconds)
{
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    lua_Debug where;
    int found = 0;
    for (int level = 0; !found && lua_getstack(L, level, &where); level++)
        found = lua_getinfo(L, "Sl", &where) && where.currentline > 0;
    if (found)
        lua_pushfstring(L, "%s:%d: ", where.short_src, where.currentline);
    else
        lua_pushliteral(L, "");
    if (seconds)
        lua_pushfstring(L, "time limit of %f s per call exceeded (max_seconds)", a->max_seconds);
    else
        lua_pushfstring(L, "instruction limit of %I per call exceeded (max_instructions)",
                        (lua_Integer)a->max_instructions);
    lua_concat(L, 2);
    lua_error(L);
}

/* Count `units` of work (instructions, or what a library call did) against the limits; the
 * clock is read about every HOOK_STEP units. */
static void spend(lua_State *L, lua_agent *a, double units)
{
    a->instructions += units;
    if (a->instructions > a->max_instructions)
        over_limit(L, a, 0);
    a->unclocked += units;
    if (a->unclocked >= HOOK_STEP) {
        a->unclocked = 0;
        if (monotonic_seconds() - a->call_start > a->max_seconds)
            over_limit(L, a, 1);
    }
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_agent *a = agent_of(L);
    if (a->instructions > a->max_instructions)
        over_limit(L, a, 0); /* already over (the hook now runs at every instruction) */
    spend(L, a, HOOK_STEP);
}

/* The budget of the library functions that loop in C (lua_library.c). */
static void charge_library(lua_State *L, size_t units, void *payload)
{
    (void)payload;
    spend(L, agent_of(L), (double)units);
}

static const lua_budget library_budget = {charge_library, NULL};

/* ---- outcomes between C (0-based) and Lua (1-based) ---- */

static void push_outcome(lua_State *L, const lua_agent *a, const uint32_t *o)
{
    lua_createtable(L, (int)a->ni, 0);
    for (size_t i = 0; i < a->ni; i++) {
        lua_pushinteger(L, (lua_Integer)o[i] + 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Read the outcome at stack index idx into out, or raise an error that
 * starts with `what` ("invalid offer", "truce.utility"). */
static void to_outcome(lua_State *L, const lua_agent *a, int idx, uint32_t *out, const char *what)
{
    if (!lua_istable(L, idx))
        luaL_error(L, "%s: expected a table of %d option numbers, got %s", what, (int)a->ni,
                   luaL_typename(L, idx));
    lua_Unsigned len = lua_rawlen(L, idx);
    if (len != a->ni)
        luaL_error(L, "%s: %d options given for %d issues", what, (int)len, (int)a->ni);
    for (size_t i = 0; i < a->ni; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        int ok;
        lua_Integer k = lua_tointegerx(L, -1, &ok);
        lua_pop(L, 1);
        uint32_t n = a->s->issues[i].n_options;
        if (!ok)
            luaL_error(L, "%s: option for issue '%s' is not an integer", what,
                       a->s->issues[i].name);
        if (k < 1 || k > (lua_Integer)n)
            luaL_error(L, "%s: option %d out of range for issue '%s' (options 1 to %d)", what,
                       (int)k, a->s->issues[i].name, (int)n);
        out[i] = (uint32_t)(k - 1);
    }
}

/* ---- the truce table: helpers scripts call ---- */

static int l_utility(lua_State *L)
{
    lua_agent *a = agent_of(L);
    to_outcome(L, a, 1, a->scratch, "truce.utility");
    lua_pushnumber(L, space_utility(a->sp, a->party, a->scratch));
    return 1;
}

static int l_bid_at_least(lua_State *L)
{
    lua_agent *a = agent_of(L);
    double u = space_bid_at_least(a->sp, a->party, luaL_checknumber(L, 1), &a->r, a->scratch);
    push_outcome(L, a, a->scratch);
    lua_pushnumber(L, u);
    return 2;
}

static int l_random_at_least(lua_State *L)
{
    lua_agent *a = agent_of(L);
    double u = space_random_at_least(a->sp, a->party, luaL_checknumber(L, 1), &a->r, a->scratch);
    push_outcome(L, a, a->scratch);
    lua_pushnumber(L, u);
    return 2;
}

static int l_count_at_least(lua_State *L)
{
    lua_agent *a = agent_of(L);
    double target = luaL_checknumber(L, 1);
    if (!a->sp->tabulated)
        return 0;
    lua_pushinteger(L, (lua_Integer)space_count_at_least(a->sp, a->party, target));
    return 1;
}

static int l_kth_best(lua_State *L)
{
    lua_agent *a = agent_of(L);
    lua_Integer k = luaL_checkinteger(L, 1);
    if (!a->sp->tabulated)
        return luaL_error(L, "truce.kth_best: the outcome space is too large to be sorted");
    uint64_t n = space_bid_count(a->sp, a->party);
    if (k < 1 || (lua_Unsigned)k > n)
        return luaL_error(L,
                          "truce.kth_best: %I is not between 1 and %I (the outcomes the party's "
                          "hard conditions allow)",
                          (lua_Integer)k, (lua_Integer)n);
    double u = space_kth_best(a->sp, a->party, (uint64_t)k - 1, a->scratch);
    push_outcome(L, a, a->scratch);
    lua_pushnumber(L, u);
    return 2;
}

/* random() in [0,1), random(0) an integer with all bits random, random(n) in 1..n,
 * random(m, n) in m..n, as Lua 5.4's, from the agent's own seeded generator (reproducible,
 * unlike Lua's). The width n - m is computed unsigned, as Lua does: the whole integer range
 * (math.mininteger to math.maxinteger) is a valid interval. */
static int l_random(lua_State *L)
{
    lua_agent *a = agent_of(L);
    int n = lua_gettop(L);
    if (n == 0) {
        lua_pushnumber(L, rng_uniform(&a->r));
        return 1;
    }
    if (n > 2)
        return luaL_error(L, "wrong number of arguments");
    lua_Integer lo = 1, hi = luaL_checkinteger(L, 1);
    if (n == 2) {
        lo = hi;
        hi = luaL_checkinteger(L, 2);
    } else if (hi == 0) {
        lua_pushinteger(L, (lua_Integer)rng_next(&a->r));
        return 1;
    }
    luaL_argcheck(L, lo <= hi, n, "interval is empty");
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + rng_upto(&a->r, span)));
    return 1;
}

static int l_discount(lua_State *L)
{
    lua_agent *a = agent_of(L);
    lua_pushnumber(L,
                   truce_discount(a->s, a->party, luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
    return 1;
}

static int l_reservation(lua_State *L)
{
    lua_agent *a = agent_of(L);
    lua_pushnumber(L, truce_party_reservation_at(a->s, a->party, luaL_optnumber(L, 1, 0)));
    return 1;
}

static int l_opponent_frequency(lua_State *L)
{
    lua_agent *a = agent_of(L);
    lua_Integer i = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
    luaL_argcheck(L, i >= 1 && (size_t)i <= a->ni, 1, "no such issue");
    luaL_argcheck(L, k >= 1 && k <= (lua_Integer)a->s->issues[i - 1].n_options, 2,
                  "no such option");
    double c = a->count[a->s->option_offset[i - 1] + (size_t)k - 1];
    lua_pushnumber(L, a->n_opponent_offers ? c / (double)a->n_opponent_offers : 0);
    return 1;
}

/* Frequency model: the mean over issues of the option's count relative to
 * the issue's most frequent option (0 before any opponent offer). */
static int l_opponent_utility(lua_State *L)
{
    lua_agent *a = agent_of(L);
    to_outcome(L, a, 1, a->scratch, "truce.opponent_utility");
    double v = 0;
    for (size_t i = 0; i < a->ni; i++)
        if (a->max_count[i] > 0)
            v += a->count[a->s->option_offset[i] + a->scratch[i]] / a->max_count[i];
    lua_pushnumber(L, a->ni ? v / (double)a->ni : 0);
    return 1;
}

static int l_opponent_offers(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)agent_of(L)->n_opponent_offers);
    return 1;
}

/* truce.vetoed(outcome): the id of the first of the party's own hard conditions the outcome
 * breaks (offering or accepting it is a fault), or nil. */
static int l_vetoed(lua_State *L)
{
    lua_agent *a = agent_of(L);
    to_outcome(L, a, 1, a->scratch, "truce.vetoed");
    int h = party_violates(&a->s->parties[a->party], a->scratch);
    if (h < 0)
        lua_pushnil(L);
    else
        lua_pushstring(L, a->s->parties[a->party].hard[h].id);
    return 1;
}

/* truce.allowed(issue, option): whether the party's own hard conditions allow that option (an
 * outcome is allowed exactly when each of its options is). */
static int l_allowed(lua_State *L)
{
    lua_agent *a = agent_of(L);
    lua_Integer i = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
    luaL_argcheck(L, i >= 1 && (size_t)i <= a->ni, 1, "no such issue");
    luaL_argcheck(L, k >= 1 && k <= (lua_Integer)a->s->issues[i - 1].n_options, 2,
                  "no such option");
    const unsigned char *allowed = a->s->parties[a->party].allowed;
    lua_pushboolean(L, !allowed || allowed[a->s->option_offset[i - 1] + (size_t)k - 1]);
    return 1;
}

static const luaL_Reg truce_lib[] = {
    {"utility", l_utility},
    {"bid_at_least", l_bid_at_least},
    {"random_at_least", l_random_at_least},
    {"count_at_least", l_count_at_least},
    {"kth_best", l_kth_best},
    {"random", l_random},
    {"discount", l_discount},
    {"reservation", l_reservation},
    {"opponent_frequency", l_opponent_frequency},
    {"opponent_utility", l_opponent_utility},
    {"opponent_offers", l_opponent_offers},
    {"vetoed", l_vetoed},
    {"allowed", l_allowed},
    {NULL, NULL},
};

/* load() for text chunks only (no binary chunks, no reader functions). */
static int l_safe_load(lua_State *L)
{
    size_t len;
    const char *code = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    if (luaL_loadbufferx(L, code, len, name, "t") != LUA_OK) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (!lua_isnoneornil(L, 4)) {
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1))
            lua_pop(L, 1);
    }
    return 1;
}

/* ---- this run's globals, made on first use ----
 * A run's globals table starts empty, with a metatable that copies a name from the pristine
 * globals the first time it is read (library tables are copied, so a run that changes
 * string.format leaves the next run's alone). `loaded` records the names taken or assigned, so
 * that a global the script deleted stays deleted. Whatever could see the difference between
 * this and a full copy (pairs, next, rawget, rawset, rawlen, getmetatable, setmetatable on the
 * globals) first completes the copy and drops the metatable. */

static int is_string(lua_State *L, int idx, const char *word)
{
    const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
    return s && strcmp(s, word) == 0;
}

/* Push what global `key` (at idx) is at the start of a run, the pristine value or a copy of it;
 * the run's globals are at g. */
static void push_initial(lua_State *L, int g, int idx, int value)
{
    if (lua_type(L, value) != LUA_TTABLE) {
        lua_pushvalue(L, value);
        return;
    }
    if (is_string(L, idx, "_G")) {
        lua_pushvalue(L, g);
        return;
    }
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, value)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

static void push_loaded(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
}

/* __index of a run's globals (g, key). */
static int globals_index(lua_State *L)
{
    push_loaded(L); /* 3 */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, 3) != LUA_TNIL)
        return 0;                                     /* taken before, then deleted */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &pristine_key); /* 5 */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, 5) == LUA_TNIL)
        return 1;
    push_initial(L, 1, 2, 6);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    lua_pushvalue(L, 2);
    lua_pushboolean(L, 1);
    lua_rawset(L, 3);
    return 1;
}

/* __newindex (g, key, value): the key is absent from g. */
static int globals_newindex(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &pristine_key);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL) {
        push_loaded(L);
        lua_pushvalue(L, 2);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

/* Complete the copy of the globals at idx and drop their metatable. */
static void complete_globals(lua_State *L, int idx)
{
    int g = lua_absindex(L, idx);
    push_loaded(L);
    int loaded = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &pristine_key);
    int pristine = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, pristine)) {
        int key = lua_gettop(L) - 1, value = key + 1;
        lua_pushvalue(L, key);
        int taken = lua_rawget(L, loaded) != LUA_TNIL;
        lua_pushvalue(L, key);
        taken = taken || lua_rawget(L, g) != LUA_TNIL;
        lua_pop(L, 2);
        if (!taken) {
            lua_pushvalue(L, key);
            push_initial(L, g, key, value);
            lua_rawset(L, g);
        }
        lua_pop(L, 1);
    }
    lua_settop(L, loaded - 1);
    lua_pushnil(L);
    lua_setmetatable(L, g);
}

/* The parts of info made on first use (they can be long: every option's label). */
static void set_info_lists(lua_State *L, int info);

/* Make a lazily filled table at idx whole (the globals, or info); other values are left. */
static void complete(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return;
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &globals_mt_key);
    int globals = lua_rawequal(L, -1, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &info_mt_key);
    int info = lua_rawequal(L, -1, -3);
    lua_pop(L, 3);
    if (globals)
        complete_globals(L, idx);
    if (info) {
        lua_pushnil(L);
        lua_setmetatable(L, idx);
        set_info_lists(L, idx);
    }
}

/* __pairs of the lazy tables. */
static int lazy_pairs(lua_State *L)
{
    complete(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1)); /* next */
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* next, rawget, rawset, rawlen, getmetatable, setmetatable: the original (upvalue 1) on the
 * completed table. */
static int completing(lua_State *L)
{
    complete(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* setmetatable: as completing, but a metatable with a __gc field is refused. Lua runs
 * finalizers with hooks off, so a finalizer would escape max_instructions (an endless loop in
 * one hung the negotiation, and the state's closing); it would also run in a later run of the
 * same state, reaching into it. A __gc field added after setmetatable marks nothing (Lua's
 * rule), so this check is enough. */
static int safe_setmetatable(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: metatables with __gc are not allowed (finalizers "
                                 "would run outside max_instructions)");
        lua_pop(L, 1);
    }
    return completing(L);
}

/* __index and __newindex of info: fill in the lists when one is used, then do the access. */
static int info_index(lua_State *L)
{
    if (is_string(L, 2, "issues") || is_string(L, 2, "parties"))
        complete(L, 1);
    lua_settop(L, 2);
    lua_rawget(L, 1);
    return 1;
}

static int info_newindex(lua_State *L)
{
    if (is_string(L, 2, "issues") || is_string(L, 2, "parties"))
        complete(L, 1);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

static void new_metatable(lua_State *L, const void *key, lua_CFunction index,
                          lua_CFunction newindex, int next)
{
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, next);
    lua_pushcclosure(L, lazy_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}

/* Open the safe libraries and remove what reaches outside the state. */
static int sandbox(lua_State *L)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    static const char *const removed[] = {"dofile",  "loadfile", "print", "collectgarbage",
                                          "require", "warn",     NULL};
    for (const char *const *name = removed; *name; name++) {
        lua_pushnil(L);
        lua_setglobal(L, *name);
    }
    lua_pushcfunction(L, l_safe_load);
    lua_setglobal(L, "load");
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_getglobal(L, LUA_TABLIBNAME);
    lua_library_bound(L, -2, -1, &library_budget);
    lua_pop(L, 2);
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_pushcfunction(L, l_random);
    lua_setfield(L, -2, "random");
    lua_pushnil(L);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    /* the package library is not opened, so require and io/os never exist */
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    luaL_newlib(L, truce_lib);
    lua_setglobal(L, "truce");
    /* the string metatable's __index is the pristine string table: keep it out of reach */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_getglobal(L, "next");
    int next = lua_gettop(L);
    static const char *const completed[] = {"next",         "rawget",       "rawset", "rawlen",
                                            "getmetatable", "setmetatable", NULL};
    for (const char *const *name = completed; *name; name++) {
        lua_getglobal(L, *name);
        lua_pushcclosure(L, strcmp(*name, "setmetatable") ? completing : safe_setmetatable, 1);
        lua_setglobal(L, *name);
    }
    new_metatable(L, &globals_mt_key, globals_index, globals_newindex, next);
    new_metatable(L, &info_mt_key, info_index, info_newindex, next);
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &pristine_key);
    return 0;
}

/* This run's globals, empty until used. */
static void fresh_globals(lua_State *L)
{
    lua_newtable(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &globals_mt_key);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
}

/* ---- protected calls ---- */

/* Run f(c) (the turn function when f is NULL) under the limits; on error keep the message and
 * return TRUCE_EINVAL. */
static int protect(lua_agent *a, lua_CFunction f, call *c)
{
    lua_State *L = a->L;
    a->instructions = 0;
    a->unclocked = 0;
    a->call_start = monotonic_seconds();
    lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
    if (f)
        lua_pushcfunction(L, f);
    else
        lua_rawgetp(L, LUA_REGISTRYINDEX, &turn_key);
    lua_pushlightuserdata(L, c);
    int rc = lua_pcall(L, 1, 0, 0);
    if (rc == LUA_OK)
        return 0;
    a->failed = 1;
    if (rc == LUA_ERRMEM) {
        snprintf(a->message, sizeof a->message,
                 "%s: memory limit of %zu bytes exceeded (max_memory)", a->path, a->max_memory);
    } else {
        const char *msg = lua_tostring(L, -1);
        snprintf(a->message, sizeof a->message, "%s", msg ? msg : "(error object is not a string)");
    }
    lua_settop(L, 0);
    return TRUCE_EINVAL;
}

static void set_string(lua_State *L, const char *key, const char *value)
{
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void set_number(lua_State *L, const char *key, double value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

static void set_info_lists(lua_State *L, int info)
{
    lua_agent *a = agent_of(L);
    const truce_scenario *s = a->s;
    lua_createtable(L, (int)s->n_parties, 0);
    for (size_t p = 0; p < s->n_parties; p++) {
        lua_pushstring(L, s->parties[p].name);
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_setfield(L, info, "parties");
    lua_createtable(L, (int)a->ni, 0);
    for (size_t i = 0; i < a->ni; i++) {
        lua_createtable(L, 0, 2);
        set_string(L, "name", s->issues[i].name);
        lua_createtable(L, (int)s->issues[i].n_options, 0);
        for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
            char label[512];
            truce_issue_option_label(s, i, k, label, sizeof label);
            lua_pushstring(L, label);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "options");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, info, "issues");
}

/* info; its lists of parties and issues are made when the script first uses them. */
static void push_info(lua_State *L, lua_agent *a)
{
    const truce_scenario *s = a->s;
    lua_createtable(L, 0, 16);
    set_string(L, "party", s->parties[a->party].name);
    lua_pushinteger(L, (lua_Integer)a->party + 1);
    lua_setfield(L, -2, "party_index");
    set_number(L, "reservation", s->parties[a->party].reservation);
    set_number(L, "discount", s->parties[a->party].discount);
    lua_pushinteger(L, (lua_Integer)a->max_rounds);
    lua_setfield(L, -2, "max_rounds");
    push_outcome(L, a, &a->sp->best[a->party * a->ni]);
    lua_setfield(L, -2, "best");
    set_number(L, "best_utility", a->sp->best_u[a->party]);
    set_number(L, "worst_utility", a->sp->worst_u[a->party]);
    lua_pushboolean(L, a->sp->tabulated);
    lua_setfield(L, -2, "tabulated");
    lua_createtable(L, 0, 4);
    const char *cursor = a->script_params;
    external_param p;
    while (external_next_param(&cursor, &p, "lua", NULL) == 1) {
        double d;
        if (!strcmp(p.key, "max_instructions") || !strcmp(p.key, "max_memory") ||
            !strcmp(p.key, "max_seconds"))
            continue;
        if (external_number(p.value, 0, &d) == 0)
            lua_pushnumber(L, d);
        else
            lua_pushstring(L, p.value);
        lua_setfield(L, -2, p.key);
    }
    lua_setfield(L, -2, "params");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &info_mt_key);
    lua_setmetatable(L, -2);
}

static const char *kind_name(int kind)
{
    return kind == TRUCE_ACTION_OFFER ? "offer" : kind == TRUCE_ACTION_ACCEPT ? "accept" : "end";
}

/* state.history: made on first access; the events since the last access become tables. */
static int state_index(lua_State *L)
{
    lua_agent *a = agent_of(L);
    const char *key = lua_tostring(L, 2);
    if (!key || strcmp(key, "history") != 0)
        return 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &history_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &history_key);
    }
    for (; a->n_synced < a->n_events; a->n_synced++) {
        const event *e = &a->events[a->n_synced];
        lua_createtable(L, 0, 6);
        set_string(L, "type", kind_name(e->kind));
        set_string(L, "actor", a->s->parties[e->actor].name);
        lua_pushinteger(L, (lua_Integer)e->actor + 1);
        lua_setfield(L, -2, "actor_index");
        lua_pushinteger(L, (lua_Integer)e->round);
        lua_setfield(L, -2, "round");
        set_number(L, "time", e->time);
        if (e->kind != TRUCE_ACTION_END) {
            push_outcome(L, a, &a->offers[a->n_synced * a->ni]);
            lua_setfield(L, -2, "outcome");
        }
        lua_rawseti(L, -2, (lua_Integer)a->n_synced + 1);
    }
    return 1;
}

/* Run the script's main chunk in fresh globals, then init(info) when it defines one. */
static int start(lua_State *L)
{
    lua_agent *a = ((call *)lua_touserdata(L, 1))->a;
    fresh_globals(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &chunk_key);
    lua_pushvalue(L, -2);
    lua_setupvalue(L, -2, 1); /* the chunk's _ENV */
    lua_call(L, 0, 0);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &history_key);
    /* the state's metatable is made anew too: getmetatable(state) hands it to the script, and
     * a shared one would carry whatever a run stored in it to the next (tournament rows would
     * then change with the thread count and with resuming) */
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, state_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &state_key);
    if (lua_getglobal(L, "init") == LUA_TFUNCTION) {
        push_info(L, a);
        lua_call(L, 1, 0);
    }
    a->use_act = lua_getglobal(L, "act") == LUA_TFUNCTION;
    return 0;
}

static int ensure_started(lua_agent *a)
{
    if (a->started)
        return 0;
    if (a->out_of_memory) {
        snprintf(a->message, sizeof a->message, "%s: out of memory", a->path);
        return TRUCE_ENOMEM;
    }
    call c = {a, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    int rc = protect(a, start, &c);
    a->started = rc == 0;
    return rc;
}

/* The turn function's upvalues: the names it uses, interned once (lua_setfield would look each
 * one up at every call), and the parties' names. */
enum {
    U_ROUND = 1,
    U_TIME,
    U_OFFER,
    U_OFFER_FROM,
    U_OFFER_UTILITY,
    U_OFFER_VETOED,
    U_ACT,
    U_RESPOND,
    U_PROPOSE,
    U_ACCEPT,
    U_REJECT,
    U_END,
    U_PARTIES,
    N_UPVALUES = U_PARTIES
};

static const char *const upvalue_names[] = {"round",         "time",         "offer",  "offer_from",
                                            "offer_utility", "offer_vetoed", "act",    "respond",
                                            "propose",       "accept",       "reject", "end"};

static void set_up(lua_State *L, int table, int name)
{
    lua_pushvalue(L, lua_upvalueindex(name));
    lua_insert(L, -2);
    lua_rawset(L, table);
}

/* The run's state table, updated for this turn, then the standing offer (or nil). */
static void push_state(lua_State *L, lua_agent *a, const truce_turn *t)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
    int state = lua_gettop(L);
    lua_pushinteger(L, (lua_Integer)t->round);
    set_up(L, state, U_ROUND);
    lua_pushnumber(L, t->time);
    set_up(L, state, U_TIME);
    if (t->offer) {
        lua_rawgeti(L, lua_upvalueindex(U_PARTIES), (lua_Integer)t->offer_from + 1);
        set_up(L, state, U_OFFER_FROM);
        lua_pushnumber(L, t->offer_utility);
        set_up(L, state, U_OFFER_UTILITY);
        lua_pushboolean(L, t->offer_vetoed);
        set_up(L, state, U_OFFER_VETOED);
        push_outcome(L, a, t->offer);
    } else {
        lua_pushnil(L);
        set_up(L, state, U_OFFER_FROM);
        lua_pushnil(L);
        set_up(L, state, U_OFFER_UTILITY);
        lua_pushboolean(L, 0);
        set_up(L, state, U_OFFER_VETOED);
        lua_pushnil(L);
    }
    lua_pushvalue(L, -1);
    set_up(L, state, U_OFFER);
}

/* Push the global named by upvalue `name`; whether it is a function. */
static int get_function(lua_State *L, int name)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushvalue(L, lua_upvalueindex(name));
    int type = lua_gettable(L, -2);
    lua_remove(L, -2);
    return type == LUA_TFUNCTION;
}

static int is_word(lua_State *L, int idx, int word)
{
    return lua_rawequal(L, idx, lua_upvalueindex(word));
}

/* The action at the top of the stack, returned by act or propose: "end", "accept" when there is
 * a standing offer, or an outcome. */
static int take_action(lua_State *L, const call *c)
{
    if (is_word(L, -1, U_END) || (c->turn->offer && is_word(L, -1, U_ACCEPT))) {
        *c->kind = is_word(L, -1, U_END) ? TRUCE_ACTION_END : TRUCE_ACTION_ACCEPT;
        return 0;
    }
    to_outcome(L, c->a, -1, c->offer, "invalid offer");
    *c->kind = TRUCE_ACTION_OFFER;
    return 0;
}

/* One turn: act(state, offer) when the script defines act, else respond(state, offer) when
 * there is an offer and respond exists, then propose(state) unless respond decided. */
static int turn(lua_State *L)
{
    call *c = lua_touserdata(L, 1);
    lua_agent *a = c->a;
    push_state(L, a, c->turn); /* state, offer */
    int state = lua_gettop(L) - 1, offer = state + 1;
    if (a->use_act) {
        if (!get_function(L, U_ACT))
            return luaL_error(L, "%s: act is no longer a function", a->path);
        lua_pushvalue(L, state);
        lua_pushvalue(L, offer);
        lua_call(L, 2, 1);
        return take_action(L, c);
    }
    if (c->turn->offer && get_function(L, U_RESPOND)) {
        lua_pushvalue(L, state);
        lua_pushvalue(L, offer);
        lua_call(L, 2, 1);
        if (is_word(L, -1, U_ACCEPT) || is_word(L, -1, U_END)) {
            *c->kind = is_word(L, -1, U_ACCEPT) ? TRUCE_ACTION_ACCEPT : TRUCE_ACTION_END;
            return 0;
        }
        if (!lua_isnil(L, -1) && !is_word(L, -1, U_REJECT))
            return luaL_error(L,
                              "invalid answer: respond returned %s (expected \"accept\", "
                              "\"reject\" or \"end\")",
                              luaL_tolstring(L, -1, NULL));
    }
    lua_settop(L, offer);
    if (!get_function(L, U_PROPOSE))
        return luaL_error(L, "%s: the script defines no function propose(state)", a->path);
    lua_pushvalue(L, state);
    lua_call(L, 1, 1);
    return take_action(L, c);
}

/* At compile time: the turn closure with its interned names, and the state's metatable. */
static void make_turn(lua_State *L, const lua_agent *a)
{
    for (int k = 0; k < N_UPVALUES - 1; k++)
        lua_pushstring(L, upvalue_names[k]);
    lua_createtable(L, (int)a->s->n_parties, 0);
    for (size_t p = 0; p < a->s->n_parties; p++) {
        lua_pushstring(L, a->s->parties[p].name);
        lua_rawseti(L, -2, (lua_Integer)p + 1);
    }
    lua_pushcclosure(L, turn, N_UPVALUES);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &turn_key);
}

static int review(lua_State *L)
{
    call *c = lua_touserdata(L, 1);
    lua_agent *a = c->a;
    const truce_draft *d = c->draft;
    if (lua_getglobal(L, "review") != LUA_TFUNCTION)
        return luaL_error(L, "%s: the script defines no function review(draft)", a->path);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, (lua_Integer)d->iteration + 1);
    lua_setfield(L, -2, "iteration");
    set_number(L, "time", d->time);
    push_outcome(L, a, d->outcome);
    lua_setfield(L, -2, "outcome");
    set_number(L, "utility", d->utility);
    set_number(L, "reservation", d->reservation);
    lua_pushboolean(L, d->vetoed);
    lua_setfield(L, -2, "vetoed");
    lua_call(L, 1, 1);
    if (is_string(L, -1, "accept") || is_string(L, -1, "walk-away")) {
        c->answer->kind = is_string(L, -1, "accept") ? TRUCE_REVIEW_ACCEPT : TRUCE_REVIEW_WALK_AWAY;
        return 0;
    }
    if (!lua_istable(L, -1))
        return luaL_error(L,
                          "invalid answer: review returned %s (expected \"accept\", "
                          "\"walk-away\" or a list of objections)",
                          luaL_tolstring(L, -1, NULL));
    int list = lua_gettop(L);
    c->answer->kind = TRUCE_REVIEW_OBJECT;
    for (lua_Integer k = 1; lua_rawgeti(L, list, k) == LUA_TTABLE; k++) {
        lua_getfield(L, -1, "issue");
        lua_getfield(L, -2, "option");
        lua_getfield(L, -3, "gain");
        int ok_i, ok_o;
        lua_Integer i = lua_tointegerx(L, -3, &ok_i), o = lua_tointegerx(L, -2, &ok_o);
        if (!ok_i || i < 1 || (size_t)i > a->ni)
            return luaL_error(L, "invalid objection %d: issue must be 1 to %d", (int)k, (int)a->ni);
        if (!ok_o || o < 1 || o > (lua_Integer)a->s->issues[i - 1].n_options)
            return luaL_error(L,
                              "invalid objection %d: option out of range for issue '%s' "
                              "(options 1 to %d)",
                              (int)k, a->s->issues[i - 1].name, (int)a->s->issues[i - 1].n_options);
        c->answer->proposed[i - 1] = (uint32_t)(o - 1);
        c->answer->gain[i - 1] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 0;
        lua_pop(L, 4);
    }
    return 0;
}

/* ---- the agent class ---- */

/* After a run: keep the Lua state for the next one unless the script failed (its state may
 * be at a limit). Finally: close it and free everything. */
static void lua_release(void *state, int final, void *payload)
{
    (void)payload;
    lua_agent *a = state;
    if (a->L && (final || a->failed)) {
        /* scripts cannot make finalizers (safe_setmetatable), so closing runs no script code */
        lua_close(a->L);
        a->L = NULL;
        a->memory = 0;
    }
    if (!final)
        return;
    free(a->events);
    free(a->offers);
    free(a->count);
    free(a->max_count);
    free(a->scratch);
    a->events = NULL;
    a->offers = NULL;
    a->count = a->max_count = NULL;
    a->scratch = NULL;
}

static char *read_script(const char *path, size_t *len, truce_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set(err, TRUCE_EIO, path, 0, "script", "cannot open Lua script '%s'", path);
        return NULL;
    }
    char *buf = malloc(MAX_SCRIPT + 1);
    size_t n = buf ? fread(buf, 1, MAX_SCRIPT + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad || n > MAX_SCRIPT) {
        free(buf);
        if (!buf)
            error_nomem(err);
        else
            error_set(err, bad ? TRUCE_EIO : TRUCE_ELIMIT, path, 0, "script",
                      bad ? "cannot read Lua script '%s'" : "Lua script '%s' is over 4 MiB", path);
        return NULL;
    }
    *len = n;
    return buf;
}

static int parse_params(lua_agent *a, const char *params, truce_error *err)
{
    const char *rest = external_head(params, a->path, sizeof a->path);
    if (!rest)
        return error_set(err, TRUCE_EINVAL, NULL, 0, "lua",
                         "agent 'lua' needs a script path, as in lua:agent.lua:key=value");
    a->script_params = rest;
    a->max_instructions = DEFAULT_MAX_INSTRUCTIONS;
    a->max_seconds = DEFAULT_MAX_SECONDS;
    a->max_memory = (size_t)DEFAULT_MAX_MEMORY;
    external_param p;
    int rc;
    while ((rc = external_next_param(&rest, &p, "lua", err)) == 1) {
        double d;
        if (!strcmp(p.key, "max_instructions")) {
            if (external_number(p.value, 0, &d) || d < HOOK_STEP || d > 1e15)
                return error_set(err, TRUCE_EINVAL, NULL, 0, "lua",
                                 "agent 'lua': max_instructions=%s is not a number from %d to "
                                 "1e15",
                                 p.value, HOOK_STEP);
            a->max_instructions = d;
        } else if (!strcmp(p.key, "max_seconds")) {
            if (external_number(p.value, 0, &d) || !(d >= 0.001) || d > 86400)
                return error_set(err, TRUCE_EINVAL, NULL, 0, "lua",
                                 "agent 'lua': max_seconds=%s is not a number of seconds from "
                                 "0.001 to 86400",
                                 p.value);
            a->max_seconds = d;
        } else if (!strcmp(p.key, "max_memory")) {
            if (external_number(p.value, 1, &d) || d < 256 * 1024 || d > 64.0 * 1024 * 1024 * 1024)
                return error_set(err, TRUCE_EINVAL, NULL, 0, "lua",
                                 "agent 'lua': max_memory=%s is not a size from 256K to 64G "
                                 "(suffix K, M or G)",
                                 p.value);
            a->max_memory = (size_t)d;
        }
    }
    return rc;
}

/* Open the sandbox and compile the script into the registry. */
static int compile(lua_State *L)
{
    call *c = lua_touserdata(L, 1);
    sandbox(L);
    make_turn(L, c->a);
    if (luaL_loadbufferx(L, c->code, c->len, c->chunkname, "t") != LUA_OK)
        return lua_error(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &chunk_key);
    return 0;
}

static int lua_init(void *state, const truce_agent_setup *setup, truce_error *err, void *payload)
{
    (void)payload;
    lua_agent *a = state;
    int rc = parse_params(a, setup->params, err);
    if (rc)
        return rc;
    a->sp = setup->space;
    a->s = setup->space->s;
    a->party = setup->party;
    a->ni = a->s->n_issues;
    a->max_rounds = setup->max_rounds;
    rng_seed(&a->r, setup->seed);
    a->started = a->failed = a->out_of_memory = 0;
    a->message[0] = '\0';
    a->n_events = a->n_synced = a->n_opponent_offers = 0;
    if (!a->events) {
        a->cap_events = 64;
        a->events = malloc(a->cap_events * sizeof *a->events);
        a->offers = malloc(a->cap_events * (a->ni + 1) * sizeof *a->offers);
        a->count = malloc((a->s->total_options + 1) * sizeof *a->count);
        a->max_count = malloc((a->ni + 1) * sizeof *a->max_count);
        a->scratch = calloc(a->ni + 1, sizeof *a->scratch);
        if (!a->events || !a->offers || !a->count || !a->max_count || !a->scratch)
            return error_nomem(err);
    }
    memset(a->count, 0, (a->s->total_options + 1) * sizeof *a->count);
    memset(a->max_count, 0, (a->ni + 1) * sizeof *a->max_count);
    if (a->L)
        return 0; /* compiled at an earlier run of this negotiation */
    size_t len = 0;
    char *code = read_script(a->path, &len, err);
    if (!code)
        return err && err->code ? err->code : TRUCE_EIO;
    a->memory = 0;
    a->L = lua_newstate(limited_alloc, a);
    if (!a->L) {
        free(code);
        return error_nomem(err);
    }
    *(lua_agent **)lua_getextraspace(a->L) = a;
    /* most of what a script makes lives for one turn: the generational collector suits that,
     * and costs half of what the incremental one does per turn */
    lua_gc(a->L, LUA_GCGEN, 0, 0);
    char chunkname[sizeof a->path + 1];
    snprintf(chunkname, sizeof chunkname, "@%s", a->path);
    call c = {a, NULL, NULL, NULL, NULL, NULL, code, chunkname, len};
    rc = protect(a, compile, &c);
    free(code);
    if (rc)
        return error_set(err, TRUCE_EPARSE, a->path, 0, "script", "Lua script: %s", a->message);
    return 0;
}

static int lua_act(void *state, const truce_turn *turn, truce_action_kind *kind, uint32_t *offer,
                   void *payload)
{
    (void)payload;
    lua_agent *a = state;
    int rc = ensure_started(a);
    if (rc)
        return rc;
    if (a->out_of_memory) {
        snprintf(a->message, sizeof a->message, "%s: out of memory recording the history", a->path);
        return TRUCE_ENOMEM;
    }
    call c = {a, turn, kind, offer, NULL, NULL, NULL, NULL, 0};
    return protect(a, NULL, &c);
}

static void lua_observe(void *state, const truce_event *ev, void *payload)
{
    (void)payload;
    lua_agent *a = state;
    if (a->out_of_memory)
        return;
    if (a->n_events == a->cap_events) {
        size_t cap = a->cap_events * 2;
        event *e = realloc(a->events, cap * sizeof *e);
        if (e)
            a->events = e;
        uint32_t *o = e ? realloc(a->offers, cap * (a->ni + 1) * sizeof *o) : NULL;
        if (!o) {
            a->out_of_memory = 1;
            return;
        }
        a->offers = o;
        a->cap_events = cap;
    }
    a->events[a->n_events] = (event){(int)ev->kind, ev->actor, ev->round, ev->time};
    if (ev->offer)
        memcpy(&a->offers[a->n_events * a->ni], ev->offer, a->ni * sizeof *a->offers);
    a->n_events++;
    if (ev->kind != TRUCE_ACTION_OFFER || ev->actor == a->party)
        return;
    a->n_opponent_offers++;
    for (size_t i = 0; i < a->ni; i++) {
        double c = a->count[a->s->option_offset[i] + ev->offer[i]] += 1;
        if (c > a->max_count[i])
            a->max_count[i] = c;
    }
}

static const char *lua_fault_message(const void *state, void *payload)
{
    (void)payload;
    return ((const lua_agent *)state)->message;
}

static int lua_review(void *state, const truce_draft *draft, truce_review *answer, void *payload)
{
    (void)payload;
    lua_agent *a = state;
    int rc = ensure_started(a);
    if (rc)
        return rc;
    call c = {a, NULL, NULL, NULL, draft, answer, NULL, NULL, 0};
    return protect(a, review, &c);
}

const truce_agent_class agent_lua_class = {
    "lua",       sizeof(lua_agent), NULL,      lua_init, lua_act, lua_observe, NULL,
    lua_release, lua_fault_message, lua_review};
