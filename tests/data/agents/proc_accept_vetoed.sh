#!/bin/sh
# proc_accept_vetoed.sh: exits 3 unless "start" lists the options its party allows as the test
# scenario gives them; then accepts exactly the offers the turn marks vetoed (a fault) and
# otherwise offers an allowed outcome.
read -r line
case "$line" in
*'"allowed":[[0,1],[0,1,2]]'*) ;;
*) exit 3 ;;
esac
printf '{"type":"ready","protocol":1}\n'
while read -r line; do
    case "$line" in
    *'"vetoed":true'*) printf '{"action":"accept"}\n' ;;
    *) printf '{"action":"offer","outcome":[1,0]}\n' ;;
    esac
done
