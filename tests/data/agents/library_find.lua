-- library_find.lua: a pattern that backtracks over 200000 characters at each of 200000 starts.
local text = string.rep("a", 200000)
function propose(state)
    return string.find(text, ".-b")
end
