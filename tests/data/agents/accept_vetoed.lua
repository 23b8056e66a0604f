-- accept_vetoed.lua: accepts every offer, even one its own party's hard condition forbids.
function respond(state, offer)
    return "accept"
end

function propose(state)
    return truce.bid_at_least(1)
end
