#!/bin/sh
# proc_long_line.sh: answers 'start' with 5000 bytes and no newline, then never finishes the line
# (max_message_bytes must stop it before any timeout).
read -r line
head -c 5000 /dev/zero | tr '\0' x
sleep 1000
