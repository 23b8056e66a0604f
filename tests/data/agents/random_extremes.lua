-- random_extremes.lua: math.random and truce.random over the widest intervals Lua allows (the
-- width hi - lo overflows a signed integer), math.random(0), and the errors Lua 5.4 gives; fails
-- when a value falls outside its interval.
local function check(v, lo, hi, what)
    if math.type(v) ~= "integer" or v < lo or v > hi then
        error(what .. " gave " .. tostring(v))
    end
end

local function draws()
    local min, max = math.mininteger, math.maxinteger
    local negative, positive = false, false
    for _ = 1, 64 do
        local v = math.random(min, max)
        check(v, min, max, "math.random(mininteger, maxinteger)")
        negative = negative or v < 0
        positive = positive or v > 0
        check(truce.random(min, max), min, max, "truce.random(mininteger, maxinteger)")
        check(math.random(max), 1, max, "math.random(maxinteger)")
        check(math.random(min, -1), min, -1, "math.random(mininteger, -1)")
        check(math.random(-1, max), -1, max, "math.random(-1, maxinteger)")
        check(math.random(min, min + 1), min, min + 1, "math.random(mininteger, mininteger + 1)")
        check(math.random(max - 1, max), max - 1, max, "math.random(maxinteger - 1, maxinteger)")
        check(math.random(0), min, max, "math.random(0)")
        check(math.random(-3, -3), -3, -3, "math.random(-3, -3)")
    end
    -- 64 draws over the whole range all on one side of 0: probability 2^-63
    if not (negative and positive) then
        error("math.random(mininteger, maxinteger) never changed sign")
    end
    for _, bad in ipairs({{1, 0}, {max, min}, {1, 2, 3}}) do
        if pcall(math.random, table.unpack(bad)) then
            error("math.random(" .. table.concat(bad, ", ") .. ") did not fail")
        end
    end
end

draws()

function propose(state)
    draws()
    return truce.bid_at_least(1)
end
