#!/bin/sh
# proc_stuck.sh: shakes hands, then never answers (for test_tournament_cli: a worker stuck in an
# agent; a name of its own, so that the test can look for its processes).
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
sleep 1000
