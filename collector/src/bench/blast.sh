#!/usr/bin/env bash
# ribbit blast send throughput into a receiver on loopback: Ribbit (`ribbit run`, Adj-RIB-In only)
# or BIRD 2. N sessions (127.0.0.11 ...) each send the synthetic table of V4 IPv4 prefixes.
# Prints blast's own report (send side: first write to last write handed to the kernel) and the
# receiver's completion: time from blast's first write until the receiver's own route count
# (Ribbit's metrics, birdc) reaches N x V4, polled every 100 ms.
# Usage: collector/src/bench/blast.sh ribbit|bird [SESSIONS] [V4_PREFIXES]
set -euo pipefail
cd "$(dirname "$0")/../../.."
RECEIVER=${1:?ribbit or bird}
SESSIONS=${2:-1}
V4=${3:-1000000}
JAR=collector/target/ribbit.jar
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
WORK=$(mktemp -d)
PORT=17990
BPID=; RPID=
trap 'kill $BPID $RPID 2>/dev/null || true; sleep 1; rm -rf "$WORK"' EXIT
ASNS=(3356 1299 174 6939 2914 3257 6453 6762)
TOTAL=$((SESSIONS * V4))

if [ "$RECEIVER" = ribbit ]; then
  {
    echo "name: bench"; echo "router-id: 192.0.2.1"; echo "local-as: 64512"
    echo "listen: [\"127.0.0.1:$PORT\"]"; echo 'http: "127.0.0.1:9181"'
    echo "neighbors:"
    for i in $(seq 0 $((SESSIONS - 1))); do
      echo "  - address: 127.0.0.$((11 + i))"; echo "    remote-as: ${ASNS[$i]}"; echo "    families: [ipv4-unicast]"
    done
  } > "$WORK/ribbit.yaml"
  java ${RIBBIT_JAVA_OPTS:-} -jar "$JAR" run -c "$WORK/ribbit.yaml" > "$WORK/receiver.log" 2>&1 & RPID=$!
  for _ in $(seq 100); do curl -sf 127.0.0.1:9181/ready >/dev/null && break; sleep 0.1; done
  count() { curl -s 127.0.0.1:9181/metrics | awk '/^ribbit_rib_routes\{/ {n += $2} END {print int(n)}'; }
  HOST=127.0.0.1
elif [ "$RECEIVER" = bird ]; then
  HOST=127.0.0.30
  {
    echo "log stderr { error, fatal };"; echo "router id 192.0.2.30;"; echo "protocol device { scan time 60; }"
    for i in $(seq 0 $((SESSIONS - 1))); do
      echo "protocol bgp s$i { local $HOST port $PORT as 64512; neighbor 127.0.0.$((11 + i)) as ${ASNS[$i]};"
      echo "  strict bind on; multihop; passive on; hold time 90; ipv4 { import all; export none; }; }"
    done
  } > "$WORK/bird.conf"
  bird -f -c "$WORK/bird.conf" -s "$WORK/bird.ctl" -P "$WORK/bird.pid" > "$WORK/receiver.log" 2>&1 & RPID=$!
  for _ in $(seq 100); do birdc -s "$WORK/bird.ctl" show status >/dev/null 2>&1 && break; sleep 0.1; done
  count() { birdc -s "$WORK/bird.ctl" show protocols all | awk '/Routes:/ {n += $2} END {print int(n)}'; }
else
  echo "receiver: ribbit or bird"; exit 2
fi

java ${BLAST_JAVA_OPTS:-} -jar "$JAR" blast --host $HOST --port $PORT --sessions "$SESSIONS" --v4 "$V4" --json \
  --hold 90 --duration 600 > "$WORK/blast.json" 2> "$WORK/blast.log" & BPID=$!
while true; do
  N=$(count || echo 0)
  if [ "${N:-0}" -ge "$TOTAL" ]; then END=$(date +%s.%N); break; fi
  if ! kill -0 $BPID 2>/dev/null; then echo "blast ended early:"; cat "$WORK/blast.log"; exit 1; fi
  sleep 0.1
done
for _ in $(seq 100); do [ -s "$WORK/blast.json" ] && grep -q '"ok"' "$WORK/blast.json" && break; sleep 0.1; done
CPU=$(awk '{print ($14+$15)/100}' /proc/$RPID/stat)
python3 - "$WORK/blast.json" "$END" "$TOTAL" "$RECEIVER" "$SESSIONS" "$CPU" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
end, total, recv, sessions, cpu = float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
for s in r["sessions"]:
    t = s["table"]
    print(f"  session {s['session']} {s['local']} AS{s['as']}: {t['prefixes']:,} prefixes, {t['updates']:,} UPDATEs, "
          f"{t['bytes']:,} B in {t['seconds']:.3f} s = {t['prefixes_per_second']:,} prefixes/s, {t['mb_per_second']} MB/s")
t = r["total"]["table"]
print(f"blast -> {recv}, {sessions} session(s): sent {t['prefixes']:,} prefixes / {t['bytes']:,} B in {t['seconds']:.3f} s"
      f" = {t['prefixes_per_second']:,} prefixes/s, {t['mb_per_second']} MB/s (send side)")
if "sender_cpu_seconds" in t:
    print(f"  blast's own CPU while sending: {t['sender_cpu_seconds']} s ({100 * t['sender_cpu_seconds'] / t['seconds']:.0f} % of one core)")
rt = end - t["start_unix"]
print(f"  {recv} had all {total:,} routes {rt:.2f} s after the first write ({total / rt:,.0f} routes/s; receiver CPU {cpu} s)")
PY
