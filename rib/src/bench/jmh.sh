#!/usr/bin/env bash
# Runs the RIB's JMH benchmarks. Usage: rib/src/bench/jmh.sh [JMH args], e.g.
#   rib/src/bench/jmh.sh AdjRibInBenchmark -prof gc
# Memory per route (not JMH): rib/src/bench/jmh.sh --memory [peers...]
# Both read the feeder stream: python3 ../shared/bench/feeder.py gen --v4 1000000 --peers 1
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -o -pl codec,rib -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/rib/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
CP="rib/target/test-classes:rib/target/classes:$(cat rib/target/bench.classpath)"
if [ "${1:-}" = "--memory" ]; then
  shift
  exec java -Xmx8g -XX:+UseG1GC -cp "$CP" io.ribbit.rib.bench.RibMemory "$@"
fi
exec java -cp "$CP" org.openjdk.jmh.Main "$@"
