#!/bin/sh
# proc_garbage.sh: shakes hands, then answers its turn with text that is not JSON.
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
printf 'this is not JSON\n'
sleep 1000
