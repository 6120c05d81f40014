#!/usr/bin/env bash
# Runs the collector's JMH benchmarks (EventJsonBenchmark: the event writer's serialization).
# Usage: collector/src/bench/jmh.sh [JMH args], e.g. collector/src/bench/jmh.sh EventJsonBenchmark -prof gc
# The RIB's benchmarks are run by rib/src/bench/jmh.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -o -pl codec,rib install -DskipTests >/dev/null
./mvnw -q -o -pl collector -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/collector/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
exec java -cp "collector/target/test-classes:collector/target/classes:$(cat collector/target/bench.classpath)" \
  org.openjdk.jmh.Main "$@"
