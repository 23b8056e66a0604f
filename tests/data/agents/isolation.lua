-- isolation.lua: leaves marks in its globals and libraries at every run, and fails when it
-- finds the marks of an earlier run (each run must start from fresh globals and libraries).
if seen ~= nil or string.mark ~= nil or math.floor == nil or getmetatable("") ~= false then
    error("state leaked from an earlier run")
end
seen = true
string.mark = true
math.floor = nil
local upper = ("x"):upper() -- string methods still work

function propose(state)
    return truce.bid_at_least(1)
end
