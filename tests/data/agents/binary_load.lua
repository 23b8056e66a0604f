-- binary_load.lua: tries to load a binary chunk through load().
function propose(state)
    local f, msg = load("\27Lua binary chunk")
    if f then
        return "end"
    end
    error("load refused: " .. msg)
end
