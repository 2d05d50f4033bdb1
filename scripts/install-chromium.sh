#!/usr/bin/env bash
# Installs headless Chromium and its driver from Debian's packages for the console's browser tests
# (./mvnw verify -Pconsole), unless both are there already. Needs root, as on CI and the dev machines.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver > /dev/null
/usr/bin/chromium --version
