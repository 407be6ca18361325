#!/usr/bin/env bash
# Make headless Chromium available for the browser tests (tests/web/test_browser.py) and print
# RASD_CHROMIUM=... and RASD_CHROMEDRIVER=... on stdout.
#
# Installs Debian's chromium + chromium-driver (and an Arabic-capable font, fonts-noto-core, so screenshots
# show the articles) when missing (needs root and apt-get), then checks that the browser starts headless.
# Everything but the final KEY=VALUE lines goes to stderr. Exit status non-zero (with the reason on stderr)
# when Chromium cannot be installed or started; the browser tests then skip with that reason.
#
#   eval "$(scripts/ci/browser.sh | sed 's/^/export /')"      # then: pytest -m browser
set -euo pipefail
log() { echo "browser.sh: $*" >&2; }

CHROMIUM=$(command -v chromium || true)
DRIVER=$(command -v chromedriver || true)
if [ -z "$CHROMIUM" ] || [ -z "$DRIVER" ] || ! fc-list :lang=ar 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium, chromium-driver and fonts-noto-core"
    export DEBIAN_FRONTEND=noninteractive
    pkgs="chromium chromium-driver fonts-noto-core"
    apt-get install -y -q --no-install-recommends $pkgs >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $pkgs >&2; } \
      || { log "apt-get install $pkgs failed"; exit 1; }
    CHROMIUM=$(command -v chromium || true)
    DRIVER=$(command -v chromedriver || true)
  fi
fi
if [ -z "$CHROMIUM" ] || [ -z "$DRIVER" ]; then
  log "no chromium / chromedriver and cannot install them (needs root and apt-get)"; exit 1
fi

profile=$(mktemp -d /tmp/rasd-chromium-check.XXXXXX)
trap 'rm -rf "$profile"' EXIT
if ! timeout 90 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --dump-dom 'data:text/html,<p>ok</p>' 2>/dev/null | grep -q '<p>ok</p>'; then
  log "$CHROMIUM does not start headless"; exit 1
fi
log "$("$CHROMIUM" --version 2>/dev/null | head -1); $("$DRIVER" --version | head -1)"
echo "RASD_CHROMIUM=$CHROMIUM"
echo "RASD_CHROMEDRIVER=$DRIVER"
