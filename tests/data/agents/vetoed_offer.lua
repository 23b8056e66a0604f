-- vetoed_offer.lua: offers border = buffer-zone, which its own party's 'no-buffer' forbids.
function propose(state)
    return {3, 1}
end
