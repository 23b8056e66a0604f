#!/usr/bin/env bash
# fuzz.sh: run each libFuzzer target for a while on seeds made from the scenario corpus and
# examples/, and print executions per second and coverage; fails on any crash, leak or hang.
# usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]   (default: every fuzz_* built)
# env: FUZZ_NICE (niceness, default 15), FUZZ_TIMEOUT (seconds one input may take, default 60),
#      TRUCE_SCENARIOS (the corpus, default ../shared/scenarios), FUZZ_FLAGS (more libFuzzer flags)
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:?usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]}"
seconds="${2:?usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]}"
shift 2
bin="$build/tests/fuzz"
scenarios="${TRUCE_SCENARIOS:-../shared/scenarios}/genius"
max_seed=65536 # bytes: bigger files make slow inputs and teach little more
# A converted corpus scenario above this many bytes (the 30- and 50-issue nonlinear ANAC 2014
# ones) takes seconds per run through fuzz_yaml's analyses: the 30 s smoke then spent its time
# on the first pass over the seeds and never mutated one.
max_yaml_seed=12288

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n="${f#tests/fuzz/fuzz_}"
        targets+=("${n%.c}")
    done
fi

# Every scenario folder: the corpus (when present), the examples and the test data.
folders() {
    { [ -d "$scenarios" ] && find "$scenarios" -name '*.xml' -printf '%h\n'
      find examples tests/data -name '*.xml' -printf '%h\n'; } | sort -u
}

is_domain() { grep -q '<negotiation_template' "$1"; }
is_profile() { grep -q '<utility_space' "$1" && ! grep -q '<negotiation_template' "$1"; }
small() { [ "$(stat -c %s "$1")" -le $max_seed ]; }
seed_name() { echo "$1" | sed 's|^\.\./||; s|[/ ]|_|g'; }

make_seeds() { # target folder
    local target="$1" out="$2"
    case "$target" in
    genius_domain)
        folders | while read -r d; do
            for f in "$d"/*.xml; do
                if small "$f" && is_domain "$f"; then cp "$f" "$out/$(seed_name "$f")"; fi
            done
        done ;;
    genius_profile)
        folders | while read -r d; do
            for f in "$d"/*.xml; do
                if small "$f" && is_profile "$f"; then cp "$f" "$out/$(seed_name "$f")"; fi
            done
        done ;;
    genius) # domain NUL profile [NUL profile [NUL profile]]
        folders | while read -r d; do
            local domain="" profiles=()
            for f in "$d"/*.xml; do
                if is_domain "$f"; then domain="$f"; elif is_profile "$f"; then profiles+=("$f"); fi
            done
            [ -n "$domain" ] && [ ${#profiles[@]} -gt 0 ] || continue
            local seed="$out/$(seed_name "$d")"
            { cat "$domain"; for p in "${profiles[@]:0:3}"; do printf '\0'; cat "$p"; done; } >"$seed"
            if ! small "$seed"; then rm -f "$seed"; fi
        done ;;
    yaml) # the examples, and the corpus converted by truce itself
        find examples -name '*.yaml' | while read -r f; do cp "$f" "$out/$(seed_name "$f")"; done
        if [ -x "$build/truce" ]; then
            folders | while read -r d; do
                local seed="$out/$(seed_name "$d").yaml"
                if ! "$build/truce" convert "$d" -o "$seed" >/dev/null 2>&1 ||
                    [ "$(stat -c %s "$seed")" -gt $max_yaml_seed ]; then
                    rm -f "$seed"
                fi
            done
        fi ;;
    esac
    return 0
}

status=0
summary=()
for t in "${targets[@]}"; do
    exe="$bin/fuzz_$t"
    if [ ! -x "$exe" ]; then
        echo "fuzz.sh: $exe is not built (cmake -DBUILD_FUZZERS=ON with clang)" >&2
        exit 2
    fi
    work="$build/fuzz-work/$t"
    rm -rf "$work/seeds"
    mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
    make_seeds "$t" "$work/seeds"
    dict="tests/fuzz/$t.dict"
    [ -f "$dict" ] || dict="tests/fuzz/${t%%_*}.dict"
    flags=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-60}" -rss_limit_mb=2048
           -print_final_stats=1 -artifact_prefix="$work/artifacts/")
    [ -f "$dict" ] && flags+=(-dict="$dict")
    echo "== fuzz_$t: ${seconds}s, $(ls "$work/seeds" | wc -l) generated seeds, $(ls tests/fuzz/corpus/"$t" | wc -l) saved inputs =="
    # shellcheck disable=SC2086
    if nice -n "${FUZZ_NICE:-15}" "$exe" "${flags[@]}" ${FUZZ_FLAGS:-} "$work/corpus" "$work/seeds" \
        "tests/fuzz/corpus/$t" >"$work/log" 2>&1; then
        result=ok
    else
        result="FAILED (see $work/log; inputs in $work/artifacts)"
        status=1
        grep -E 'ERROR|check failed|SUMMARY|Test unit written' "$work/log" | head -20 >&2 || true
    fi
    last=$(grep -E '^#[0-9]+' "$work/log" | tail -1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' || true)
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' || true)
    corp=$(echo "$last" | grep -oE 'corp: [0-9]+/[0-9A-Za-z]+' || true)
    line="fuzz_$t: $result; ${runs:-?} runs, ${rate:-?} exec/s, $cov, $ft, $corp"
    echo "$line"
    summary+=("$line")
done
echo "== summary =="
printf '%s\n' "${summary[@]}"
exit $status
