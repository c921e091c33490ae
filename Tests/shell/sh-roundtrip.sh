#!/bin/sh
# End-to-end check of `podmeta env --format sh`: builds a downwardAPI volume whose
# annotations hold values that break naive shell quoting (quotes, newlines, $, backticks,
# backslashes, control characters, UTF-8), runs podmeta on it, sources the output under
# dash and bash (and bash --posix, busybox sh when present), and compares every value byte
# for byte with what printf writes, both as a shell variable and as an exported
# environment variable seen by a child process.
#
# Usage: Tests/shell/sh-roundtrip.sh PATH/TO/podmeta
# Exit status: 0 all equal, 1 a mismatch, 2 usage or setup error.
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH/TO/podmeta" >&2
    exit 2
fi
case $1 in
/*) podmeta=$1 ;;
*) podmeta=$(pwd)/$1 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/podmeta-sh-roundtrip.XXXXXX")
trap 'rm -rf "$work"' EXIT
volume=$work/volume
mkdir -p "$volume" "$work/expected"

# The volume as the kubelet writes it: key="Go %q-quoted value" lines, sorted by key; the
# single-value files without a trailing newline.
printf 'web-0' >"$volume/name"
printf 'shop' >"$volume/namespace"
printf '0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6' >"$volume/uid"
cat >"$volume/labels" <<'EOF'
app="web"
app.kubernetes.io/name="shop"
tier="api"
EOF
cat >"$volume/annotations" <<'EOF'
example.com/backslash="a\\b \\n \\' \\\" \\"
example.com/control="\x01\a\x1b[31m\x7f\t\r end"
example.com/dash="-n -e"
example.com/dollar="$HOME ${PATH} $(id) `id` $'x' $"
example.com/empty=""
example.com/glob="* ? [a] ~ *"
example.com/hash="#not a comment"
example.com/newlines="line1\nline2\n\n"
example.com/percent="%s %d %% %"
example.com/quote="it's 'quoted' '' '"
example.com/spaces="  two  "
example.com/utf8="é 日本 😀 \u00a0\u2028"
EOF

# What each variable must hold, written with printf's octal escapes (byte-exact in every
# POSIX printf).
expect() {
    # shellcheck disable=SC2059 # the second argument is the format on purpose
    printf -- "$2" >"$work/expected/$1"
}
expect POD_NAME 'web-0'
expect POD_NAMESPACE 'shop'
expect POD_UID '0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6'
expect POD_LABEL_APP 'web'
expect POD_LABEL_APP_KUBERNETES_IO_NAME 'shop'
expect POD_LABEL_TIER 'api'
expect POD_ANNOTATION_EXAMPLE_COM_BACKSLASH 'a\134b \134n \134\047 \134\042 \134'
expect POD_ANNOTATION_EXAMPLE_COM_CONTROL '\001\007\033[31m\177\011\015 end'
expect POD_ANNOTATION_EXAMPLE_COM_DASH '-n -e'
expect POD_ANNOTATION_EXAMPLE_COM_DOLLAR '$HOME ${PATH} $(id) `id` $\047x\047 $'
expect POD_ANNOTATION_EXAMPLE_COM_EMPTY ''
expect POD_ANNOTATION_EXAMPLE_COM_GLOB '* ? [a] ~ *'
expect POD_ANNOTATION_EXAMPLE_COM_HASH '#not a comment'
expect POD_ANNOTATION_EXAMPLE_COM_NEWLINES 'line1\nline2\n\n'
expect POD_ANNOTATION_EXAMPLE_COM_PERCENT '%%s %%d %%%% %%'
expect POD_ANNOTATION_EXAMPLE_COM_QUOTE 'it\047s \047quoted\047 \047\047 \047'
expect POD_ANNOTATION_EXAMPLE_COM_SPACES '  two  '
expect POD_ANNOTATION_EXAMPLE_COM_UTF8 '\303\251 \346\227\245\346\234\254 \360\237\230\200 \302\240\342\200\250'

# A clean environment: POD_* variables of the caller must not leak into the snapshot.
if ! env -i PATH="$PATH" "$podmeta" env --volume "$volume" --format sh \
    --item labels=metadata.labels --item annotations=metadata.annotations \
    --item name=metadata.name --item namespace=metadata.namespace --item uid=metadata.uid \
    >"$work/vars.sh" 2>"$work/stderr"; then
    echo "podmeta env failed:" >&2
    cat "$work/stderr" >&2
    exit 2
fi

shells=
for candidate in dash bash "bash --posix" "busybox sh"; do
    if command -v "${candidate%% *}" >/dev/null 2>&1; then
        shells="$shells${shells:+:}$candidate"
    fi
done
if [ -z "$shells" ]; then
    echo "no shell to test with (dash, bash, busybox)" >&2
    exit 2
fi

failures=0
checks=0
old_ifs=$IFS
IFS=:
for shell in $shells; do
    IFS=$old_ifs
    for file in "$work"/expected/*; do
        name=${file##*/}
        # As a shell variable after sourcing.
        # shellcheck disable=SC2086 # $shell is "bash --posix" etc. on purpose
        $shell -c '. "$1" && eval "value=\${$2?}" && printf %s "$value"' sh "$work/vars.sh" "$name" \
            >"$work/got" 2>"$work/err" || true
        checks=$((checks + 1))
        if ! cmp -s "$work/got" "$file"; then
            failures=$((failures + 1))
            echo "FAIL $shell: \$$name differs after sourcing" >&2
            od -c "$file" | sed 's/^/  expected /' >&2
            od -c "$work/got" | sed 's/^/  got      /' >&2
            cat "$work/err" >&2
        fi
        # As an exported variable in a child process (printenv adds one newline).
        # shellcheck disable=SC2086
        $shell -c '. "$1" && exec printenv "$2"' sh "$work/vars.sh" "$name" >"$work/got" 2>"$work/err" || true
        { cat "$file"; printf '\n'; } >"$work/want"
        checks=$((checks + 1))
        if ! cmp -s "$work/got" "$work/want"; then
            failures=$((failures + 1))
            echo "FAIL $shell: $name differs in the environment of a child" >&2
        fi
    done
    IFS=:
done
IFS=$old_ifs

if [ "$failures" -ne 0 ]; then
    echo "sh-roundtrip: $failures of $checks checks failed (shells: $shells)" >&2
    exit 1
fi
echo "sh-roundtrip: $checks checks passed (shells: $shells)"
