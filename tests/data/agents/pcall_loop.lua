-- pcall_loop.lua: tries to survive the instruction limit by catching its error.
function propose(state)
    while true do
        pcall(function()
            while true do
            end
        end)
    end
end
