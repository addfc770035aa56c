#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is on the PATH, installing Debian's chromium package when it is not.
# The web console test calls this, so a fresh machine (CI's included) gets the browser before it is needed.
# Prints the path of the chromium binary on success.
set -euo pipefail

find_chromium() {
    command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || command -v google-chrome 2>/dev/null
}

if ! find_chromium >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "chromium is missing and installing it needs root: run 'sudo apt-get install chromium'" >&2
        exit 1
    fi
    echo "installing Debian's chromium package for the web console test" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # fonts-liberation gives the screenshots readable text; no other recommends are needed headless
    apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
fi
find_chromium
