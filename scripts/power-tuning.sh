#!/usr/bin/env bash
# Power tuning in Lambda's shape: builds the native package (shared GraalVM builder) and the JVM
# package, keeps both in target/lambda-shape/, then runs PowerTuningBenchmark, which runs each at
# several memory sizes in cgroups with Lambda's memory and CPU limits (needs root and cgroup v1)
# and prints the README's power-tuning table (~15 min). SKIP_BUILD=1 reuses the kept packages;
# SHAPE_ROWS=native:512,native:1769 measures only those rows.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dynalite.sh
mkdir -p target/lambda-shape
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  if ! dpkg -s zlib1g-dev >/dev/null 2>&1; then apt-get update -qq && apt-get install -y -qq zlib1g-dev; fi
  GRAALVM_HOME=$(bash ../shared/tools/native-image/setup.sh | tail -n 1)
  NI_XMX=${NI_XMX:-8g} ./mvnw -B -q package -DskipTests -Dquarkus.native.enabled=true -Dquarkus.native.graalvm-home="$GRAALVM_HOME"
  cp target/function.zip target/lambda-shape/native-function.zip
  ./mvnw -B -q package -DskipTests
  cp target/function.zip target/lambda-shape/jvm-function.zip
fi
ls -l target/lambda-shape/
./mvnw -B verify -Pbenchmark -Dtest=PowerTuningBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.build.skip=true ${SHAPE_ROWS:+-Dshape.rows=$SHAPE_ROWS} \
  | grep -E '^\||BENCHMARK|DynamoDB per|Prices|ERROR|FAIL'
