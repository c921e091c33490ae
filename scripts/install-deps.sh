#!/bin/sh
# Installs what podmeta needs from Debian/Ubuntu that a fresh machine with Swift 6 lacks:
# the inotify library the watcher links against, and the packages named as arguments (the
# Makefile's image targets name theirs). Idempotent; quiet when all is present.
set -eu
missing=""
for pkg in libinotifytools0-dev "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "podmeta: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
