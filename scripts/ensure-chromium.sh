#!/bin/sh
# Make sure headless Chromium (Debian packages chromium and chromium-driver) and a font with
# Persian glyphs are installed for the web app's browser tests. Never downloads a browser build:
# only Debian packages through apt-get (needs root).
set -eu
found() {
    [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1 \
        && { fc-list 2>/dev/null | grep -qi -e vazirmatn -e "Noto Naskh Arabic" -e "Noto Sans Arabic"; }
}
if found; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: /usr/bin/chromium missing and cannot apt-get install it;" \
         "browser tests will fail" >&2
    exit 0
fi
echo "ensure-chromium: installing Debian chromium, chromium-driver and fonts-noto-core" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-noto-core fontconfig >/dev/null
found
