-- random.lua: offers random outcomes drawn with truce.random and math.random (both seeded by
-- truce, so equal seeds give equal runs).
local sizes = {}
function init(info)
    for i, issue in ipairs(info.issues) do
        sizes[i] = #issue.options
    end
end

function propose(state)
    local o = {}
    for i, n in ipairs(sizes) do
        o[i] = (i % 2 == 0) and truce.random(n) or math.random(1, n)
    end
    return o
end
