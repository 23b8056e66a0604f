-- finalizer.lua: a finalizer that never returns. Lua runs finalizers with hooks off, outside
-- max_instructions, so setmetatable must refuse metatables with __gc.
local ok, err = pcall(setmetatable, {}, {__gc = function() while true do end end})
if ok then
    error("setmetatable accepted a __gc metamethod")
end
-- the field added afterwards marks nothing (Lua's rule): allowed
local mt = {}
setmetatable({}, mt)
mt.__gc = function() while true do end end
collected = setmetatable({}, {__mode = "k"}) -- other metamethods are fine
function propose(state)
    setmetatable({}, {__gc = function() while true do end end})
end
