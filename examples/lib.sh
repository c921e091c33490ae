# Shared by the examples' run.sh scripts: a kubelet-style volume in a temp directory and a
# kubelet-style update (new timestamp directory, ..data swapped by rename), no cluster needed.
set -eu

PODMETA=${PODMETA:-podmeta}
EXAMPLES=$(cd "$(dirname "$0")/.." && pwd)

# make_volume DIR: a copy of examples/podinfo, the volume of the Kubernetes docs' example.
make_volume() {
    mkdir -p "$1"
    cp -a "$EXAMPLES/podinfo/." "$1/"
}

# kubelet_update DIR FILE CONTENT: publish a new generation in which FILE holds CONTENT.
kubelet_update() {
    dir=$1 file=$2 content=$3
    old=$(readlink "$dir/..data")
    new="..$(date -u +%Y_%m_%d_%H_%M_%S).$$$(date +%N)"
    mkdir "$dir/$new"
    cp -a "$dir/$old/." "$dir/$new/"
    printf '%s' "$content" > "$dir/$new/$file"
    ln -s "$new" "$dir/..data_tmp"
    mv -T "$dir/..data_tmp" "$dir/..data"
    rm -rf "${dir:?}/$old"
}

# wait_for FILE PATTERN: up to 10 s for FILE to contain PATTERN.
wait_for() {
    i=0
    while ! grep -q -- "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 100 ]; then
            echo "timed out waiting for '$2' in $1" >&2
            return 1
        fi
        sleep 0.1
    done
}
