-- state_metatable.lua: keeps a mark in the metatable of state, and fails when it finds the mark
-- of an earlier run (each run must get a fresh state with a fresh metatable, or tournament rows
-- change with the thread count and with resuming).
local mine = {}
function propose(state)
    local mt = getmetatable(state)
    if mt.mark ~= nil and mt.mark ~= mine then
        error("state leaked from an earlier run")
    end
    mt.mark = mine
    return truce.bid_at_least(1)
end
