#!/bin/sh
# Stands in for a legacy program that only reads its own INI file at start and on SIGHUP.
set -eu
ini=${1:-/run/podmeta/app.ini}
section=""
while IFS= read -r line; do
    case "$line" in
        ";"* | "") ;;
        "["*"]") section=${line#[}; section=${section%]} ;;
        *=*) key=$(echo "${line%%=*}" | tr -d ' '); value=${line#*= }; echo "$section.$key=$value" ;;
    esac
done < "$ini"
