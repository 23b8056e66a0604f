-- review_error.lua: fails on line 3 when asked to review.
function review(draft)
    return draft.missing.field
end
