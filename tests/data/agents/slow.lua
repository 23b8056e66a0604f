-- slow.lua: spends about a million instructions on every turn (well under the default limit
-- of 1e7 per call), then offers its best outcome and accepts nothing: slow, not stuck.
local best
function init(info)
    best = info.best
end

function act(state, offer)
    local x = 0
    for i = 1, 300000 do
        x = x + i % 7
    end
    return best
end
