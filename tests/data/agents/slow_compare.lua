-- slow_compare.lua: each comparison of two long strings is one instruction that reads a
-- megabyte; the instruction limit is raised out of reach, so the wall-clock limit
-- (max_seconds) must stop it.
local a = string.rep("a", 1000000) .. "x"
local b = string.rep("a", 1000000) .. "y"
function propose(state)
    local same = 0
    while true do
        if a == b then
            same = same + 1
        end
    end
end
