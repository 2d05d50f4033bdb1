#!/usr/bin/env bash
# Builds the native executable (shared GraalVM builder) and the JVM function, then measures both
# back to back: process start -> first answered PATCH through the Lambda HTTP path, and resident
# memory after 1,000 PATCHes. The JVM build runs under AWS's runtime interface client, as in Lambda.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dynalite.sh
if ! dpkg -s zlib1g-dev >/dev/null 2>&1; then apt-get update -qq && apt-get install -y -qq zlib1g-dev; fi
GRAALVM_HOME=$(bash ../shared/tools/native-image/setup.sh | tail -n 1)
NI_XMX=${NI_XMX:-8g} ./mvnw -B -q package -DskipTests -Dquarkus.native.enabled=true -Dquarkus.native.graalvm-home="$GRAALVM_HOME"
./mvnw -B -q package -DskipTests
ls -l target/function.zip target/*-runner target/*-runner.jar
./mvnw -B verify -Pbenchmark -Dtest=ColdStartBenchmark -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^\||BENCHMARK'
