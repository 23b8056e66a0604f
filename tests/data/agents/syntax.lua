-- syntax.lua: does not compile.
function propose(state)
    return = 1
end
