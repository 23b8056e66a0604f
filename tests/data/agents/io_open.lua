-- io_open.lua: tries to read a file and to load a module (neither exists in the sandbox).
local f = io and io.open("/etc/passwd") or require("os")
function propose(state)
    return truce.bid_at_least(1)
end
