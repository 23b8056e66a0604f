-- probe.lua: checks the sandbox, the history and the opponent model at every turn, and fails
-- with a message when anything is wrong; holds firm with its best outcome otherwise.
local best, me
local forbidden = {"io", "os", "require", "dofile", "loadfile", "package", "debug", "print",
                   "collectgarbage"}

function init(info)
    best = info.best
    me = info.party
    for _, name in ipairs(forbidden) do
        if _G[name] ~= nil then
            error("sandbox: " .. name .. " exists")
        end
    end
    if string.dump ~= nil or math.randomseed ~= nil then
        error("sandbox: string.dump or math.randomseed exists")
    end
    if load("\27Lua") ~= nil then
        error("sandbox: a binary chunk loaded")
    end
    if load("return 1 + 1")() ~= 2 then
        error("sandbox: text chunks do not load")
    end
end

function propose(state)
    -- this agent moves first: before its turn in round r it has seen 2(r-1) offers
    local history = state.history
    if #history ~= 2 * (state.round - 1) then
        error("history has " .. #history .. " events in round " .. state.round)
    end
    if truce.opponent_offers() ~= state.round - 1 then
        error("opponent_offers is " .. truce.opponent_offers())
    end
    if state.round > 1 then
        local last = history[#history]
        if last.actor == me or last.type ~= "offer" then
            error("the last event is not the opponent's offer")
        end
        if truce.utility(last.outcome) ~= state.offer_utility then
            error("truce.utility disagrees with offer_utility")
        end
        -- the opponent (a hardliner) always offers the same outcome
        for i, option in ipairs(state.offer) do
            if truce.opponent_frequency(i, option) ~= 1 then
                error("opponent_frequency is not 1 for issue " .. i)
            end
        end
        if truce.opponent_utility(state.offer) ~= 1 then
            error("opponent_utility of its offer is not 1")
        end
    end
    return best
end
