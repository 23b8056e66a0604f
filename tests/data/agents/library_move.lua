-- library_move.lua: table.move over almost every integer index (nils, no memory), in C.
function propose(state)
    return table.move({}, 1, math.maxinteger - 2, 2)
end
