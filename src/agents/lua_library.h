/* lua_library.h: the Lua library functions whose work a sandboxed script could make endless
 * inside one C call, rewritten to charge that work to a budget (docs/agents.md). */
#ifndef TRUCE_AGENTS_LUA_LIBRARY_H
#define TRUCE_AGENTS_LUA_LIBRARY_H

#include <lua.h>
#include <stddef.h>

/* Where the work goes. charge(L, units, payload) is called with the units done since its last
 * call (a character examined, a pattern step, an element moved, a repetition); it raises a Lua
 * error (and does not return) when the budget is spent. */
typedef struct lua_budget {
    void (*charge)(lua_State *L, size_t units, void *payload);
    void *payload;
} lua_budget;

/* Replace string.find, string.match, string.gmatch, string.gsub and string.rep in the table at
 * string_idx, and table.insert, table.remove and table.move in the table at table_idx, by
 * versions with Lua 5.4's behaviour (results and error messages) that charge `budget`, which
 * must outlive the state. Lua's own run their loops in C, where no instruction hook sees them:
 * string.rep("", math.maxinteger), table.move({}, 1, math.maxinteger - 2, 2) and
 * string.find(string.rep("a", 200000), ".-b") never ended. */
void lua_library_bound(lua_State *L, int string_idx, int table_idx, const lua_budget *budget);

#endif
