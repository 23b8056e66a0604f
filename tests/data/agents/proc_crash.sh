#!/bin/sh
# proc_crash.sh: shakes hands, then dies with status 3 at its first turn.
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
exit 3
