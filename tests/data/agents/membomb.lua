-- membomb.lua: grows a table without end (the memory limit stops it).
function propose(state)
    local t = {}
    local s = "x"
    for i = 1, 1e9 do
        t[i] = s .. i
        s = s .. "xxxxxxxx"
    end
end
