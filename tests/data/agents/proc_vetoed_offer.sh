#!/bin/sh
# proc_vetoed_offer.sh: offers border = buffer-zone (option 2), which its party's 'no-buffer'
# forbids, in a two-issue scenario.
read -r line
printf '{"type":"ready","protocol":1}\n'
while read -r line; do
    printf '{"action":"offer","outcome":[2,0]}\n'
done
