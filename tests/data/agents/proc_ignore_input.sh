#!/bin/sh
# proc_ignore_input.sh: never reads its input and never writes.
exec sleep 1000
