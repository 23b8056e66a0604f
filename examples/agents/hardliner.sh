#!/bin/sh
# hardliner.sh: a truce agent in plain shell (JSON Lines, docs/agent-protocol.md): offers its
# best outcome every turn (truce's "best" keeps to the party's hard conditions) and accepts only
# an offer worth at least `threshold` (default 0.9) that they allow (not "vetoed").
# Run: truce negotiate --agents proc:examples/agents/hardliner.sh:threshold=0.8,conceder SCENARIO
best=
threshold=0.9
while IFS= read -r line; do
    case "$line" in
    *'"type":"start"'* | *'"type": "start"'*)
        # "best":[0,3,1] is its best outcome; copy it as it is
        best=$(printf '%s\n' "$line" | sed -n 's/.*"best":\(\[[^]]*\]\).*/\1/p')
        t=$(printf '%s\n' "$line" | sed -n 's/.*"threshold":\([0-9.eE+-]*\).*/\1/p')
        [ -n "$t" ] && threshold=$t
        printf '{"type":"ready","protocol":1,"name":"hardliner.sh"}\n'
        ;;
    *'"type":"turn"'*)
        u=$(printf '%s\n' "$line" | sed -n 's/.*"utility":\([0-9.eE+-]*\).*/\1/p')
        case "$line" in *'"vetoed":true'*) u= ;; esac
        if [ -n "$u" ] && awk -v u="$u" -v t="$threshold" 'BEGIN { exit !(u >= t) }'; then
            printf '{"action":"accept"}\n'
        else
            printf '{"action":"offer","outcome":%s}\n' "$best"
        fi
        ;;
    *'"type":"review"'*)
        case "$line" in
        *'"vetoed":true'*) printf '{"answer":"walk-away"}\n' ;;
        *) printf '{"answer":"accept"}\n' ;;
        esac
        ;;
    *'"type":"end"'*)
        exit 0
        ;;
    esac
done
