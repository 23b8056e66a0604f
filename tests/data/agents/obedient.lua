-- obedient.lua: keeps to its own party's hard conditions with what truce tells it, and checks
-- that the pieces agree (an error, and so a fault, when they do not): state.offer_vetoed,
-- truce.vetoed, truce.allowed, and the bids, which stay within the allowed outcomes.
local function check(ok, what)
    if not ok then
        error("obedient: " .. what)
    end
end

local function allowed(o)
    for i = 1, #o do
        if not truce.allowed(i, o[i]) then
            return false
        end
    end
    return true
end

function respond(state, offer)
    check(state.offer_vetoed == (truce.vetoed(offer) ~= nil), "offer_vetoed and truce.vetoed differ")
    check(state.offer_vetoed == not allowed(offer), "offer_vetoed and truce.allowed differ")
    if not state.offer_vetoed and state.offer_utility >= truce.reservation(state.time) then
        return "accept"
    end
    return "reject"
end

function propose(state)
    local o = truce.random_at_least(0)
    check(truce.vetoed(o) == nil and allowed(o), "a random bid breaks a hard condition")
    local b = truce.bid_at_least(1 - state.time)
    check(truce.vetoed(b) == nil, "a bid breaks a hard condition")
    local n = truce.count_at_least(0)
    for k = 1, n do
        check(truce.vetoed(truce.kth_best(k)) == nil, "kth_best breaks a hard condition")
    end
    return b
end
