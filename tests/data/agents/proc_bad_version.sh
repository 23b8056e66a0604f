#!/bin/sh
# proc_bad_version.sh: answers the handshake with a protocol truce does not speak.
read -r line
printf '{"type":"ready","protocol":99}\n'
read -r line
