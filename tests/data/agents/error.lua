-- error.lua: a runtime error on line 5 at its first turn.
function propose(state)
    local nothing = nil
    -- indexing nil fails here
    return nothing.field
end
