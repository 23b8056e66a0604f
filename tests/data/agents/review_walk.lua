-- review_walk.lua: walks away from the first draft it reviews.
function review(draft)
    if draft.iteration ~= 1 or draft.utility < 0 then
        error("unexpected draft")
    end
    return "walk-away"
end
