#!/bin/sh
# Make sure PostgreSQL's initdb/pg_ctl are available for the store tests.
# Installs the Debian `postgresql` package when they are missing (needs root).
set -eu
found() {
    command -v initdb >/dev/null 2>&1 && return 0
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && return 0
    done
    return 1
}
if found; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: initdb/pg_ctl not found and cannot apt-get install postgresql;" \
         "PostgreSQL store tests will fail" >&2
    exit 0
fi
echo "ensure-postgres: installing the Debian postgresql package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends postgresql >/dev/null
found
