-- globals.lua: the globals and info behave as whole tables although truce fills them on first
-- use (pairs, next, rawget, deleting a library, assigning one), and act(state, offer) is called.
local expected = {"_G", "_VERSION", "assert", "error", "getmetatable", "ipairs", "load", "next",
                  "pairs", "pcall", "rawequal", "rawget", "rawlen", "rawset", "select",
                  "setmetatable", "tonumber", "tostring", "type", "xpcall", "string", "table",
                  "math", "utf8", "truce"}

local function check(ok, what)
    if not ok then
        error(what, 2)
    end
end

-- deleting a library before its first use, and after it, both hold for the whole run
utf8 = nil
check(utf8 == nil, "utf8 came back after it was deleted")
local t = table
table = nil
check(table == nil and t.concat ~= nil, "table came back after it was deleted")
check(rawget(_G, "math") ~= nil, "rawget does not see math")
local names = {}
for name in pairs(_G) do
    names[name] = true
end
for _, name in ipairs(expected) do
    if name ~= "utf8" and name ~= "table" then
        check(names[name], "pairs(_G) misses " .. name)
    end
end
check(not names.utf8 and not names.table, "pairs(_G) lists a deleted library")
check(getmetatable(_G) == nil, "the globals have a metatable")
marker = 1

local seen = 0
function init(info)
    check(#info.issues == 4 and info.issues[1].name == "territory", "info.issues is wrong")
    check(#info.parties == 2, "info.parties is wrong")
    local keys = 0
    for _ in pairs(info) do
        keys = keys + 1
    end
    check(keys == 12, "pairs(info) gives " .. keys .. " keys")
end

function act(state, offer)
    seen = seen + 1
    check(seen == state.round, "act is not called once per turn")
    check((offer == nil) == (state.round == 1), "the offer is wrong")
    return truce.bid_at_least(1)
end

function propose(state)
    error("propose called although act exists")
end
