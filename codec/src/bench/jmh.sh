#!/usr/bin/env bash
# Runs the codec's JMH benchmarks. Usage: codec/src/bench/jmh.sh [JMH args], e.g.
#   codec/src/bench/jmh.sh UpdateDecodeBenchmark.decodeStream -prof gc
# Needs the feeder stream: python3 ../shared/bench/feeder.py gen --v4 1000000 --peers 1
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -o -pl codec -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/codec/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
CP="codec/target/test-classes:codec/target/classes:$(cat codec/target/bench.classpath)"
exec java -cp "$CP" org.openjdk.jmh.Main "$@"
