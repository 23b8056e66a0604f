-- loop.lua: never returns from propose (the instruction limit stops it).
function propose(state)
    while true do
    end
end
