#!/bin/sh
# proc_invalid_offer.sh: offers option 99 for every issue of a four-issue scenario.
read -r line
printf '{"type":"ready","protocol":1}\n'
while read -r line; do
    printf '{"action":"offer","outcome":[99,0,0,0]}\n'
done
