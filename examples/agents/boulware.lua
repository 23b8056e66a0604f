-- boulware.lua: the time-dependent Boulware agent (Faratin, Sierra and Jennings 1998) as a
-- truce Lua agent; it makes the same moves as the built-in 'boulware' for the same seed.
-- Run: truce negotiate --agents lua:examples/agents/boulware.lua:e=0.2,conceder SCENARIO

local e, k, pmin, pmax, reservation, best
local bid_at_least = truce.bid_at_least

function init(info)
    e = info.params.e or 0.2
    k = info.params.k or 0
    reservation = info.reservation
    best = info.best
    pmax = info.best_utility
    -- never aim below the reservation value nor below what exists
    pmin = reservation > info.worst_utility and reservation or info.worst_utility
    if pmin > pmax then
        pmin = pmax
    end
end

-- target utility Pmin + (Pmax - Pmin)(1 - F(t)), F(t) = k + (1 - k) t^(1/e)
local function target(t)
    local f = e <= 0 and k or k + (1 - k) * t ^ (1 / e)
    return pmin + (pmax - pmin) * (1 - f)
end

-- each turn: bid at the target utility (bids keep to the party's own hard conditions); accept
-- an offer worth at least that bid (AC_next), unless the party's hard conditions forbid it
function act(state, offer)
    local bid, bid_utility = bid_at_least(target(state.time))
    local u = state.offer_utility
    if offer and not state.offer_vetoed and u >= reservation and u >= bid_utility then
        return "accept"
    end
    return bid
end

-- mediation (truce mediate --agent PARTY=lua:boulware.lua): accept a draft worth at least the
-- target, else object to the clauses where it differs from the best outcome, asking for the
-- best option (truce ranks the objections by the utility each would gain)
function review(draft)
    if not draft.vetoed and draft.utility >= target(draft.time) and draft.utility > draft.reservation then
        return "accept"
    end
    local objections = {}
    for i, option in ipairs(best) do
        if draft.outcome[i] ~= option then
            objections[#objections + 1] = {issue = i, option = option}
        end
    end
    return objections
end
