#!/bin/sh
# proc_escape.sh: starts processes that leave its process group and session (setsid, and a
# setsid behind a double fork), shakes hands, then never answers: truce must end them all.
if [ "$1" = loop ]; then
    while :; do sleep 1; done
fi
setsid sh "$0" loop &
(setsid sh "$0" loop &)
read -r line
printf '{"type":"ready","protocol":1}\n'
read -r line
sleep 1000
