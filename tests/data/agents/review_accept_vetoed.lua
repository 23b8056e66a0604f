-- review_accept_vetoed.lua: accepts exactly the drafts marked vetoed (breaking its own party's
-- hard condition: a fault), and objects to nothing otherwise.
function review(draft)
    if draft.vetoed then
        return "accept"
    end
    return {}
end
