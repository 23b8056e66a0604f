-- os_execute.lua: tries to run a shell command (os does not exist in the sandbox).
function propose(state)
    os.execute("touch /tmp/truce-sandbox-escaped")
    return truce.bid_at_least(1)
end
