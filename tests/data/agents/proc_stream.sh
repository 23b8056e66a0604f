#!/bin/sh
# proc_stream.sh: shakes hands, then answers the turn with one line that never ends, written as
# fast as the pipe takes it (no pause for the time limit to be noticed in).
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | tr -d '\n'
