#!/usr/bin/env bash
# A/B comparison on a noisy machine: runs e2e.sh (Ribbit only) for two variants, alternating
# A, B, A, B ... ROUNDS times, and prints every run and the medians per variant and scenario.
# On this project's 2-vCPU VMs the same jar varies by ±30 % from run to run and drifts with the
# hour, so a change is only believed when it wins most alternations (docs/performance.md).
#
# Usage: collector/src/bench/ab.sh [--rounds N] [--scenarios s1,s2] [--events]
#          --a-jar JAR --b-jar JAR [--a-opts "JVM options"] [--b-opts "JVM options"]
# Each variant defaults to collector/target/ribbit.jar and $RIBBIT_JAVA_OPTS. Environment as for
# e2e.sh (WARMUP defaults to 5 here). Loopback only; e2e.sh stops everything it starts.
set -Eeuo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=3; SCENARIOS=s1,s2; EVENTS=
A_JAR=collector/target/ribbit.jar; B_JAR=$A_JAR
A_OPTS=${RIBBIT_JAVA_OPTS:-}; B_OPTS=$A_OPTS
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --events) EVENTS=--events ;;
    --a-jar) A_JAR=$2; shift ;;
    --b-jar) B_JAR=$2; shift ;;
    --a-opts) A_OPTS=$2; shift ;;
    --b-opts) B_OPTS=$2; shift ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
echo "# A: $A_JAR $A_OPTS"
echo "# B: $B_JAR $B_OPTS"
echo "# variant scenario ingest_s cpu_s peer_loops_cpu_s"
for i in $(seq "$ROUNDS"); do
  for v in A B; do
    if [ $v = A ]; then jar=$A_JAR; opts=$A_OPTS; else jar=$B_JAR; opts=$B_OPTS; fi
    log=$(JAR=$jar WARMUP=${WARMUP:-5} THREADS=1 RIBBIT_JAVA_OPTS="$opts" \
      collector/src/bench/e2e.sh --scenarios "$SCENARIOS" --receivers ribbit $EVENTS 2>&1) \
      || { echo "$log" | tail -5 >&2; exit 1; }
    # The per-thread CPU block of each scenario precedes its row; the rows come at the end.
    echo "$log" | awk -v v=$v '
      /^# [a-z0-9]+-ribbit: CPU per thread/ {s = $2; sub(/-ribbit:/, "", s)}
      /ribbit-peer/ {loops[s] += $2}
      /^\| (s1|s2|churn) \| ribbit/ {split($0, f, "|"); gsub(/ /, "", f[2]); gsub(/ /, "", f[5]); gsub(/ /, "", f[11]);
        printf "%s %s %s %s %s\n", v, f[2], f[5], f[11], (f[2] in loops) ? loops[f[2]] : "-"}' | tee -a "$OUT"
  done
done
echo "# medians"
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for v in A B; do
  for s in $(awk '{print $2}' "$OUT" | sort -u); do
    n=$(awk -v v=$v -v s=$s '$1 == v && $2 == s' "$OUT" | wc -l)
    [ "$n" -gt 0 ] || continue
    echo "$v $s ingest $(awk -v v=$v -v s=$s '$1 == v && $2 == s {print $3}' "$OUT" | median) s" \
      "cpu $(awk -v v=$v -v s=$s '$1 == v && $2 == s {print $4}' "$OUT" | median) s ($n runs)"
  done
done
