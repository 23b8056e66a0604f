#!/usr/bin/env bash
# deps.sh: install the Debian packages truce needs that are missing, and only
# those (apt-get update runs once, and only when something is missing).
# usage: scripts/deps.sh [build|test|ci|fuzz|valgrind]   (default: test)
set -euo pipefail

need="${1:-test}"
packages=(gcc make cmake pkg-config libc6-dev libxml2-dev libjansson-dev libgmp-dev libfyaml-dev
    libsqlite3-dev)
packages+=(liblua5.4-dev) # Lua agents (src/agents/lua.c)
packages+=(libgsl-dev)    # statistics: distributions and tests (src/tournament/stats.c)
packages+=(libmicrohttpd-dev) # truce serve (src/serve/): the HTTP server
# The tests also need libcurl (test_serve*: HTTP to the real server) and Debian's
# chromium (test_serve_browser, test_report_browser: they fail, not skip, without it).
case "$need" in
build) ;;
test) packages+=(libcmocka-dev libopenmpi-dev openmpi-bin chromium zlib1g-dev libcurl4-openssl-dev) ;;
ci) packages+=(libcmocka-dev libopenmpi-dev openmpi-bin clang chromium zlib1g-dev libclang-rt-14-dev libcurl4-openssl-dev) ;;
fuzz) packages+=(libcmocka-dev clang libclang-rt-14-dev libcurl4-openssl-dev) ;;
valgrind) packages+=(libcmocka-dev valgrind chromium libcurl4-openssl-dev) ;;
*) echo "deps.sh: unknown target '$need' (build, test, ci, fuzz or valgrind)" >&2; exit 2 ;;
esac
# The Python binding (bindings/python): its tests and the pip install of its quick start.
case "$need" in test | ci) packages+=(python3 python3-venv python3-setuptools python3-wheel python3-pip) ;; esac

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "deps.sh: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
