#!/usr/bin/env bash
# Makes sure Prometheus' promtool is on the PATH, installing Debian's prometheus package when it is not.
# The metrics tests call this, so a fresh machine (CI's included) gets the tool before it is needed.
# Prints the path of promtool on success.
set -euo pipefail

if ! command -v promtool >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "promtool is missing and installing it needs root: run 'sudo apt-get install prometheus'" >&2
        exit 1
    fi
    echo "installing Debian's prometheus package for promtool" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # the package's service is not wanted: only promtool is used
    apt-get install -y -qq --no-install-recommends prometheus >&2
fi
command -v promtool
