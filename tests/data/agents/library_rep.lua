-- library_rep.lua: the empty string repeated math.maxinteger times costs no memory, and Lua's
-- string.rep loops in C where no instruction hook sees it; truce's counts the repetitions.
function propose(state)
    return string.rep("", math.maxinteger)
end
