#!/usr/bin/env bash
# quickstart_test.sh: runs the quick start of bindings/python/README.md as written (a venv, pip
# install offline, the Python lines) in a scratch folder laid out like the repository.
# usage: quickstart_test.sh PYTHON3 LIBTRUCE SOURCE_DIR SCRATCH_DIR   (exit 77: skipped)
set -euo pipefail
python3="$1" library="$2" source="$3" scratch="$4"

if ! "$python3" -c "import ensurepip, venv, setuptools, wheel" 2>/dev/null; then
    echo "skipped: python3-venv, python3-setuptools or python3-wheel missing (scripts/deps.sh test)"
    exit 77
fi

# The block between the quickstart markers, less its first line (Debian packages and
# `make build`: ctest's build has done both; build/libtruce.so.0 is the library it made).
block=$(sed -n '/^<!-- quickstart/,/^<!-- \/quickstart/p' "$source/bindings/python/README.md" |
    sed -n '/^```sh$/,/^```$/p' | sed '1d;$d')
[ -n "$block" ] || { echo "no quick start found in bindings/python/README.md"; exit 1; }
case "$(printf '%s\n' "$block" | head -n 1)" in
"bash scripts/deps.sh test && make build"*) ;;
*) echo "the quick start no longer starts with the deps/build line"; exit 1 ;;
esac
commands=$(printf '%s\n' "$block" | sed '1d')
if [ "$(printf '%s\n' "$block" | wc -l)" -gt 10 ]; then
    echo "the quick start has more than 10 lines"
    exit 1
fi

rm -rf "$scratch"
mkdir -p "$scratch/build" "$scratch/bindings"
ln -s "$library" "$scratch/build/libtruce.so.0"
ln -s "$source/examples" "$scratch/examples"
tar -C "$source/bindings" --exclude=__pycache__ --exclude=build --exclude='*.egg-info' \
    -cf - python | tar -C "$scratch/bindings" -xf -

cd "$scratch"
unset TRUCE_LIBRARY PYTHONPATH
export PATH="$(dirname "$python3"):$PATH" PIP_DISABLE_PIP_VERSION_CHECK=1
printf '%s\n' "$commands" >quickstart.sh
echo "== running the quick start in $scratch"
bash -euo pipefail quickstart.sh | tee output.txt

# It printed the Nash point, an agreement and a trace; the package loaded its own copy.
grep -q "^(0\.83875.*, 0\.5) 41 " output.txt
grep -q "^True {" output.txt
where=$(.venv/bin/python3 -c "import truce; print(truce.library_path)")
case "$where" in
"$scratch"/.venv/*/truce/libtruce.so) echo "the installed package loads $where" ;;
*) echo "the installed package loaded $where, not its own copy"; exit 1 ;;
esac
echo "quick start ok"
