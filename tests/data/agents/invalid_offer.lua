-- invalid_offer.lua: offers option 99 for the first issue.
function propose(state)
    local o = truce.bid_at_least(1)
    o[1] = 99
    return o
end
