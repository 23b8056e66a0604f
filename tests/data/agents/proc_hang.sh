#!/bin/sh
# proc_hang.sh: shakes hands, then never answers (a child process sleeps; both must be killed).
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
sleep 1000
