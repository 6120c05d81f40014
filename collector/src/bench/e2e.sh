#!/usr/bin/env bash
# End-to-end ingest benchmark (S1): one feeder peer sends a synthetic full table over a real
# BGP session on loopback; Ribbit keeps the Adj-RIB-In and writes every event to a file.
# Completion is measured from Ribbit's own counters (polled every 100 ms): all prefixes in the
# Adj-RIB-In and no event left unwritten. Usage: collector/src/bench/e2e.sh [V4_PREFIXES] [--no-events]
set -euo pipefail
cd "$(dirname "$0")/../../.."
V4=${1:-1000000}
EVENTS=yes; [ "${2:-}" = "--no-events" ] && EVENTS=no
FEEDER=${FEEDER:-../shared/bench/feeder.py}
JAR=collector/target/ribbit.jar
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
WORK=$(mktemp -d)
trap 'kill $FPID $RPID 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 "$FEEDER" gen --v4 "$V4" --peers 1 >/dev/null
{
  echo "name: bench"; echo "router-id: 192.0.2.1"; echo "local-as: 64512"; echo "warmup: ${WARMUP:-0}"
  echo 'listen: ["127.0.0.1:1790"]'; echo 'http: "127.0.0.1:9180"'
  echo "neighbors:"; echo "  - address: 127.0.0.11"; echo "    remote-as: 3356"; echo "    families: [ipv4-unicast]"
  if [ "$EVENTS" = yes ]; then echo "events:"; echo "  - type: file"; echo "    path: $WORK/events.jsonl"; fi
} > "$WORK/ribbit.yaml"
java ${RIBBIT_JAVA_OPTS:-} -jar "$JAR" run -c "$WORK/ribbit.yaml" > "$WORK/ribbit.log" 2>&1 & RPID=$!
for _ in $(seq 900); do curl -sf 127.0.0.1:9180/ready >/dev/null && break; sleep 0.1; done
RSS0=$(awk '/VmRSS/ {print $2}' /proc/$RPID/status)
python3 "$FEEDER" feed --host 127.0.0.1 --port 1790 --peers 1 --v4 "$V4" --duration 600 --report "$WORK/feed.json" > "$WORK/feeder.log" 2>&1 & FPID=$!
while true; do
  M=$(curl -s 127.0.0.1:9180/metrics)
  N=$(awk '/^ribbit_rib_routes\{/ {print int($2)}' <<<"$M")
  P=$(awk '/^ribbit_output_events_pending/ {print int($2)}' <<<"$M")
  if [ "${N:-0}" -ge "$V4" ] && [ "${P:-1}" -eq 0 ]; then END=$(date +%s.%N); break; fi
  if ! kill -0 $FPID 2>/dev/null && [ ! -s "$WORK/feed.json" ]; then echo "feeder failed:"; cat "$WORK/feeder.log"; exit 1; fi
  sleep 0.1
done
sleep 0.3
FIRST=$(python3 -c "import json,sys; d=json.load(open('$WORK/feed.json')); s=d['sessions'][0]; print(s.get('first_update', s.get('first_update_sent', 0)))" 2>/dev/null || echo 0)
HWM=$(awk '/VmHWM/ {print $2}' /proc/$RPID/status); RSS=$(awk '/VmRSS/ {print $2}' /proc/$RPID/status)
CPU=$(awk '{print ($14+$15)/100}' /proc/$RPID/stat)
if [ -n "${THREADS:-}" ]; then
  for t in /proc/$RPID/task/*; do echo "$(awk '{print ($14+$15)/100}' $t/stat) $(cat $t/comm)"; done | sort -rn | head -15
fi
python3 - "$FIRST" "$END" "$V4" "$RSS0" "$RSS" "$HWM" "$CPU" "$EVENTS" <<'PY'
import sys
first, end, n, rss0, rss, hwm, cpu, ev = sys.argv[1:]
t = float(end) - float(first) if float(first) > 0 else float('nan')
n = int(n)
print(f"S1 {n} prefixes, events={ev}: {t:.2f} s ({n/t/1e6:.2f} M prefixes/s), RSS {int(rss)//1024} MiB "
      f"(growth {(int(rss)-int(rss0))*1024/n:.0f} B/route), peak {int(hwm)//1024} MiB, CPU {cpu} s")
PY
[ "$EVENTS" = yes ] && echo "events: $(wc -l < "$WORK/events.jsonl") lines, $(du -h "$WORK/events.jsonl" | cut -f1)"
cat "$WORK/feed.json" | head -c 600; echo
