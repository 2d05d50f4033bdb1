#!/usr/bin/env bash
# Builds the native executable with the shared GraalVM builder (../shared/tools/native-image)
# and runs the *IT integration tests against it, through the Lambda HTTP path, on dynalite.
set -euo pipefail
cd "$(dirname "$0")/.."
# The builder links -lz.
if ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq zlib1g-dev
fi
tool=../shared/tools/native-image
GRAALVM_HOME=$(bash "$tool/setup.sh" | tail -n 1)
NI_XMX=${NI_XMX:-8g} ./mvnw -B verify -Pnative -Dquarkus.native.graalvm-home="$GRAALVM_HOME" "$@"
