#!/usr/bin/env bash
# Installs everything eventkit's tests and demo need on Debian: npm packages, nats-server, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
need_apt=()
command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || need_apt+=(nats-server)
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from apt"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm 11 (npm/cli#8320, #9083) can refuse `npm ci` with "Missing: @biomejs/cli-… from lock file" for
  # other platforms' optional binaries it left out of the lockfile itself; `npm install --no-save` then
  # installs the same locked versions without rewriting the lockfile.
  if ! npm ci --no-audit --no-fund; then
    echo "setup: npm ci refused the lockfile (npm optional-dependency bug); installing the locked versions with npm install --no-save"
    npm install --no-save --no-audit --no-fund
  fi
fi
