#!/usr/bin/env bash
# Query API lookup latency while a full table is ingested (LookupLatencyBench, test scope): one
# feeder peer sends N synthetic IPv4 prefixes over a real BGP session on loopback while a client
# looks up addresses and prefixes over HTTP (and directly); prints p50/p90/p99/p99.9/max per phase.
# Usage: collector/src/bench/api-latency.sh [N (default 1000000)] [idle seconds (default 10)]
# Builds first (offline, with $MVN, default ./mvnw); RIBBIT_JAVA_OPTS: JVM options (default
# -Xmx4g -XX:ThreadPriorityPolicy=1, as the README recommends: ingest below the HTTP loop).
set -euo pipefail
cd "$(dirname "$0")/../../.."
MVN=${MVN:-./mvnw}
$MVN -q -o -pl codec,rib,collector -am test-compile
CPFILE=$(mktemp)
trap 'rm -f "$CPFILE"' EXIT
$MVN -q -o -pl collector dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE"
# This checkout's modules first, never a ribbit jar from the local repository.
DEPS=$(tr ':' '\n' < "$CPFILE" | grep -v '/io/ribbit/' | paste -sd: -)
CP=codec/target/classes:rib/target/classes:collector/target/classes:collector/target/test-classes:$DEPS
exec java ${RIBBIT_JAVA_OPTS:--Xmx4g -XX:ThreadPriorityPolicy=1} -cp "$CP" io.ribbit.collector.api.LookupLatencyBench "$@"
