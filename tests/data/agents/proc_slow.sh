#!/bin/sh
# proc_slow.sh: answers every turn correctly but takes 0.05 s for each (a slow program agent):
# offers its best outcome and never accepts, so only a deadline or a time limit ends it.
best=
while IFS= read -r line; do
    case "$line" in
    *'"type":"start"'*)
        best=$(printf '%s\n' "$line" | sed -n 's/.*"best":\(\[[^]]*\]\).*/\1/p')
        printf '{"type":"ready","protocol":1,"name":"proc_slow.sh"}\n'
        ;;
    *'"type":"turn"'*)
        sleep 0.05
        printf '{"action":"offer","outcome":%s}\n' "$best"
        ;;
    *'"type":"end"'*)
        exit 0
        ;;
    esac
done
