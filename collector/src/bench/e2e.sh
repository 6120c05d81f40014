#!/usr/bin/env bash
# End-to-end ingest benchmark (issue 5): feeder -> receiver over real BGP sessions on loopback,
# against Ribbit (`ribbit run`) and, when installed, BIRD 2, one fresh receiver per scenario:
#   S1     1 peer x V4 IPv4 prefixes (shared/bench/feeder.py, from 127.0.0.11)
#   S2     4 peers x V4 each (feeder.py --peers 4, from 127.0.0.11-14, AS 3356 1299 174 6939)
#   churn  the S2 peers load their tables, then for CHURN_SECONDS withdraw and re-announce
#          CHURN_PERCENT % of their routes in waves, one every CHURN_INTERVAL s. The feeder has no
#          churn, so this scenario's source is `ribbit blast --sessions 4 --churn ...` (same
#          addresses and ASes, its own synthetic table of the same model).
# Completion comes from the receiver's own counters, polled every 100 ms (Ribbit: /metrics,
# ribbit_rib_routes and the prefix counters; BIRD: `birdc show protocols all`). Prints one table
# (ingest s, prefixes/s, peak RSS, RSS growth per route (peak minus before the feed: the issue's
# memory measure), heap after full GC, bytes/route, CPU s, GC pauses) and the
# Ribbit/BIRD ratios; churn adds the RSS after each wave.
#
# Usage: collector/src/bench/e2e.sh [--smoke] [--v4 N] [--scenarios s1,s2,churn] [--receivers ribbit,bird] [--events]
#   --smoke      reduced S1 (100,000 prefixes, Ribbit only) for CI: proves the pipeline, asserts no time
#   --events     Ribbit also writes every event as JSON to a file (default: Adj-RIB-In only, as BIRD)
# Environment: CHURN_SECONDS (600), CHURN_PERCENT (20), CHURN_INTERVAL (10), RIBBIT_JAVA_OPTS,
#   WARMUP (Ribbit's `warmup:` seconds, 0), LOC_RIB (true: keep the Loc-RIB too; default false),
#   FEEDER (../shared/bench/feeder.py), JAR (collector/target/ribbit.jar, built if missing),
#   KEEP_WORK (set: keep the work directory with the daemons' logs and GC logs),
#   ASPROF (path to async-profiler's asprof: profiles Ribbit's CPU from the feed's start to
#   completion, per thread, into WORK/profile-SCENARIO-ribbit.collapsed; use with KEEP_WORK;
#   ASPROF_EVENT (itimer), ASPROF_INTERVAL ("-i 1ms"; for alloc e.g. "--alloc 512k")).
# Heap after full GC: Ribbit `jcmd GC.run` + `GC.heap_info` (used heap, minus the same before the feed);
# BIRD `birdc show memory` (Total, minus before). GC pauses: Ribbit's -Xlog:gc, up to completion.
# Loopback addresses and unprivileged ports only; every process started here is stopped on exit.
set -Eeuo pipefail
# A failing step stops the run; say which (a run once ended silently between scenarios).
trap 'echo "e2e.sh: stopped at line $LINENO: $BASH_COMMAND (status $?)" >&2' ERR
cd "$(dirname "$0")/../../.."
V4=1000000; SCENARIOS=s1,s2,churn; RECEIVERS=ribbit,bird; EVENTS=no; SMOKE=no
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=yes; V4=100000; SCENARIOS=s1; RECEIVERS=ribbit ;;
    --v4) V4=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --receivers) RECEIVERS=$2; shift ;;
    --events) EVENTS=yes ;;
    --no-events) EVENTS=no ;; # the old form; now the default
    [0-9]*) V4=$1 ;; # the old form: e2e.sh V4
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
CHURN_SECONDS=${CHURN_SECONDS:-600}; CHURN_PERCENT=${CHURN_PERCENT:-20}; CHURN_INTERVAL=${CHURN_INTERVAL:-10}
FEEDER=${FEEDER:-../shared/bench/feeder.py}
JAR=${JAR:-collector/target/ribbit.jar}
[ -f "$JAR" ] || ./mvnw -q -o -pl codec,rib,collector -DskipTests package
if [[ ,$RECEIVERS, == *,bird,* ]] && ! command -v bird >/dev/null; then
  echo "BIRD not installed: Ribbit only"; RECEIVERS=ribbit
fi
PORT=17991; HTTP=127.0.0.1:9182; BIRD_HOST=127.0.0.30
ASNS=(3356 1299 174 6939)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -n "${KEEP_WORK:-}" ]; then echo "e2e.sh: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT # so that a timeout or ^C still runs cleanup (bash skips the EXIT trap when a signal kills it)
# Stops processes: SIGTERM, up to 10 s to exit, then SIGKILL; reaps them. (A feeder blocked in a
# lock once ignored SIGTERM for 14 minutes, and an unbounded wait hung the whole run.)
stop_pids() {
  kill "$@" 2>/dev/null || true
  for _ in $(seq 100); do
    local alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "$@"; do
    if kill -0 "$p" 2>/dev/null; then
      echo "e2e.sh: pid $p did not exit within 10 s of SIGTERM; killed" >&2
      kill -9 "$p" 2>/dev/null || true
    fi
  done
  wait "$@" 2>/dev/null || true
}
RESULTS=$WORK/results.tsv; : > "$RESULTS"
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", a - b}'; }
rss_kb() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
hwm_kb() { awk '/VmHWM/ {print $2}' /proc/$1/status; }
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' /proc/$1/stat; }

# ---------------------------------------------------------------- receivers
# start_RECEIVER PEERS: starts it with PEERS passive neighbors 127.0.0.11...; sets RPID.
start_ribbit() {
  {
    echo "name: bench"; echo "router-id: 192.0.2.1"; echo "local-as: 64512"; echo "warmup: ${WARMUP:-0}"
    # The issue's "Adj-RIB-In only": no Loc-RIB unless LOC_RIB=true.
    echo "loc-rib:"; echo "  enabled: ${LOC_RIB:-false}"
    echo "listen: [\"127.0.0.1:$PORT\"]"; echo "http: \"$HTTP\""
    echo "neighbors:"
    for i in $(seq 0 $(($1 - 1))); do
      echo "  - address: 127.0.0.$((11 + i))"; echo "    remote-as: ${ASNS[$i]}"; echo "    families: [ipv4-unicast]"
    done
    if [ "$EVENTS" = yes ]; then echo "events:"; echo "  - type: file"; echo "    path: $WORK/events.jsonl"; fi
  } > "$WORK/ribbit.yaml"
  GCLOG=$WORK/gc-$TAG.log
  # ZGC logs its (sub-millisecond) pauses under gc+phases, and a thread's wait for memory
  # ("Allocation Stall", counted as a pause here) under gc; the other collectors both under gc.
  local gctags=gc; case "${RIBBIT_JAVA_OPTS:-}" in *UseZGC*) gctags=gc,gc+phases=info ;; esac
  java ${RIBBIT_JAVA_OPTS:-} -Xlog:$gctags:file="$GCLOG" -jar "$JAR" run -c "$WORK/ribbit.yaml" > "$WORK/ribbit-$TAG.log" 2>&1 &
  RPID=$!; PIDS+=("$RPID")
  for _ in $(seq 600); do curl -sf --max-time 1 "$HTTP/ready" >/dev/null && return; sleep 0.1; done
  echo "Ribbit not ready after 60 s:"; tail "$WORK/ribbit-$TAG.log"; exit 1
}
start_bird() {
  {
    echo "log stderr { error, fatal };"; echo "router id 192.0.2.30;"; echo "protocol device { scan time 60; }"
    for i in $(seq 0 $(($1 - 1))); do
      echo "protocol bgp s$i { local $BIRD_HOST port $PORT as 64512; neighbor 127.0.0.$((11 + i)) as ${ASNS[$i]};"
      echo "  strict bind on; multihop; passive on; hold time 90; ipv4 { import all; export none; }; }"
    done
  } > "$WORK/bird.conf"
  bird -f -c "$WORK/bird.conf" -s "$WORK/bird.ctl" -P "$WORK/bird.pid" > "$WORK/bird-$TAG.log" 2>&1 &
  RPID=$!; PIDS+=("$RPID")
  for _ in $(seq 600); do birdc -s "$WORK/bird.ctl" show status >/dev/null 2>&1 && return; sleep 0.1; done
  echo "BIRD not up after 60 s:"; cat "$WORK/bird-$TAG.log"; exit 1
}
# counters_RECEIVER: "routes announced withdrawn" (sums over peers), from the receiver itself.
counters_ribbit() {
  curl -s --max-time 2 "$HTTP/metrics" | awk '/^ribbit_rib_routes\{/ {r += $2}
    /^ribbit_peer_prefixes_announced_total\{/ {a += $2} /^ribbit_peer_prefixes_withdrawn_total\{/ {w += $2}
    /^ribbit_output_events_pending[{ ]/ {p = $2}
    END {if (p > 0) r = -1; printf "%d %d %d\n", r, a, w}' # events not yet written: not complete
}
counters_bird() {
  timeout 5 birdc -s "$WORK/bird.ctl" show protocols all | awk '/Routes:/ {r += $2}
    /Import updates:/ {a += $3} /Import withdraws:/ {w += $3} END {printf "%d %d %d\n", r, a, w}'
}
# heap_RECEIVER: bytes in use after a full GC (Ribbit), or BIRD's own total (`show memory`).
heap_ribbit() {
  # The attach can fail while the JVM is busy starting up; one retry.
  timeout 60 jcmd "$RPID" GC.run >/dev/null || { sleep 1; timeout 60 jcmd "$RPID" GC.run >/dev/null; }
  # The heap's "used" figures: one line for G1 and ZGC, young + old for Parallel and Serial;
  # Metaspace and class space are not heap.
  timeout 30 jcmd "$RPID" GC.heap_info | awk '!/Metaspace|class space/ && match($0, /used [0-9]+[KMG]/) {
      v = substr($0, RSTART + 5, RLENGTH - 6); u = substr($0, RSTART + RLENGTH - 1, 1)
      t += v * (u == "K" ? 1024 : u == "M" ? 1048576 : 1073741824) }
    END { printf "%d\n", t }'
}
heap_bird() {
  timeout 5 birdc -s "$WORK/bird.ctl" show memory | awk '/Total:/ {v = $2; u = $3;
    m = u == "kB" ? 1024 : u == "MB" ? 1048576 : u == "GB" ? 1073741824 : 1; printf "%d\n", v * m; exit}'
}
# gc_pauses FILE [LINES]: "count p99_ms max_ms" of the stop-the-world pauses in the first LINES lines.
gc_pauses() {
  [ -f "$1" ] || { echo "- - -"; return; }
  head -n "${2:-1000000000}" "$1" | grep -o -e 'Pause.* [0-9.]*ms$' -e 'Allocation Stall.* [0-9.]*ms$' | grep -v 'System.gc()' | grep -o '[0-9.]*ms$' | tr -d ms \
    | sort -n | awk '{v[NR] = $1} END {if (NR == 0) {print "0 - -"; exit} i = int(NR * 0.99 + 0.999); if (i > NR) i = NR;
      printf "%d %.1f %.1f\n", NR, v[i], v[NR]}'
}
# thread_cpu PID: CPU seconds per thread name (a pool's threads summed) so far, "name<TAB>seconds".
thread_cpu() {
  local t; t=$(getconf CLK_TCK)
  # A thread may end between the glob and its read: `|| true` keeps the ERR trap out of that.
  for f in /proc/$1/task/*/stat; do cat "$f" 2>/dev/null || true; echo; done | sed -n 's/^[0-9]* (\(.*\)) [A-Z] /\1\t/p' \
    | awk -F'\t' -v t="$t" '{split($2, a, " "); n = $1; gsub(/[0-9]+$/, "#", n); c[n] += (a[11] + a[12]) / t}
      END {for (n in c) printf "%s\t%.2f\n", n, c[n]}'
}
# thread_diff BEFORE AFTER: the CPU each thread name used between two thread_cpu outputs, most first.
thread_diff() {
  awk -F'\t' 'NR == FNR {b[$1] = $2; next} {d = $2 - b[$1]; if (d >= 0.05) printf "%7.2f s  %s\n", d, $1}' "$1" "$2" | sort -rn
}
# wait_for WHAT SECONDS CONDITION...: polls every 100 ms; fails the run after SECONDS.
wait_for() {
  local what=$1 limit=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "timed out after $limit s waiting for $what ($(counters_$RECV))"; exit 1; fi
    sleep 0.1
  done
}
routes_at_least() { local c; c=$(counters_$RECV) || return 1; [ "${c%% *}" -ge "$1" ]; }
moved_at_least() { local c; c=($(counters_$RECV)) || return 1; [ "${c[1]}" -ge "$1" ] && [ "${c[2]}" -ge "$2" ]; }

# ---------------------------------------------------------------- scenarios
# table PEERS: feeder.py sends PEERS x V4; one result row.
table() {
  local peers=$1 total=$(($1 * V4)) host=127.0.0.1
  [ "$RECV" = bird ] && host=$BIRD_HOST
  start_$RECV "$peers"
  local heap0 cpu0 rss0; heap0=$(heap_$RECV); cpu0=$(cpu_s "$RPID"); rss0=$(rss_kb "$RPID")
  [ -n "${THREADS:-}" ] && [ "$RECV" = ribbit ] && thread_cpu "$RPID" > "$WORK/threads0-$TAG.txt"
  [ -n "${ASPROF:-}" ] && [ "$RECV" = ribbit ] && "$ASPROF" start -e "${ASPROF_EVENT:-itimer}" ${ASPROF_INTERVAL:--i 1ms} -t "$RPID" >/dev/null
  python3 "$FEEDER" feed --host $host --port $PORT --peers "$peers" --v4 "$V4" --duration 0 \
    --report "$WORK/feed-$TAG.json" > "$WORK/feeder-$TAG.log" 2>&1 &
  local fpid=$!; PIDS+=("$fpid")
  wait_for "$total routes in $RECV" $((60 + total / 5000)) routes_at_least "$total"
  local end; end=$(now)
  local cpu; cpu=$(cpu_s "$RPID"); local hwm; hwm=$(hwm_kb "$RPID")
  [ -n "${ASPROF:-}" ] && [ "$RECV" = ribbit ] && "$ASPROF" stop -o collapsed -f "$WORK/profile-$TAG.collapsed" "$RPID" >/dev/null
  local gclines=0; [ "$RECV" = ribbit ] && gclines=$(wc -l < "$GCLOG")
  if [ -n "${THREADS:-}" ] && [ "$RECV" = ribbit ]; then
    thread_cpu "$RPID" > "$WORK/threads1-$TAG.txt"
    echo "# $TAG: CPU per thread from the feed's start to completion"
    thread_diff "$WORK/threads0-$TAG.txt" "$WORK/threads1-$TAG.txt" | sed 's/^/#   /'
  fi
  local heap; heap=$(heap_$RECV)
  for _ in $(seq 50); do [ -s "$WORK/feed-$TAG.json" ] && break; sleep 0.1; done
  local first; first=$(python3 -c "import json,sys; print(min(s['first_update_sent'] for s in json.load(open(sys.argv[1]))['sessions']))" "$WORK/feed-$TAG.json")
  local gc="- - -"; [ "$RECV" = ribbit ] && gc=$(gc_pauses "$GCLOG" "$gclines")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SCEN" "$RECV" "$total" "$(sub "$end" "$first")" \
    "$hwm" "$heap0" "$heap" "$(sub "$cpu" "$cpu0")" "$gc" "$rss0" "" >> "$RESULTS"
  stop_pids "$fpid" "$RPID"
}

# churn: blast loads 4 x V4, then waves; RSS after each wave.
churn() {
  local peers=4 total=$((4 * V4)) host=127.0.0.1 waves=$(( (CHURN_SECONDS + CHURN_INTERVAL - 1) / CHURN_INTERVAL ))
  [ "$RECV" = bird ] && host=$BIRD_HOST
  start_$RECV "$peers"
  local heap0 rss0; heap0=$(heap_$RECV); rss0=$(rss_kb "$RPID")
  java -jar "$JAR" blast --host $host --port $PORT --sessions $peers --v4 "$V4" --churn "$CHURN_PERCENT" \
    --waves "$waves" --interval "$CHURN_INTERVAL" --hold 90 --duration $((CHURN_SECONDS + 3600)) --json \
    > "$WORK/blast-$TAG.json" 2> "$WORK/blast-$TAG.log" &
  local bpid=$!; PIDS+=("$bpid")
  wait_for "the first route in $RECV" 300 routes_at_least 1
  local start cpu0; start=$(now); cpu0=$(cpu_s "$RPID")
  wait_for "$total routes in $RECV" $((60 + total / 5000)) routes_at_least "$total"
  local loaded; loaded=$(now); local c0; c0=($(counters_$RECV))
  local gc0=0; [ "$RECV" = ribbit ] && gc0=$(wc -l < "$GCLOG")
  local rss=() cum=0 churn0; churn0=$(now)
  local cpuc0; cpuc0=$(cpu_s "$RPID")
  for k in $(seq "$waves"); do
    wait_for "blast's wave $k" $((CHURN_INTERVAL + 300)) grep -q "churn wave $k of" "$WORK/blast-$TAG.log"
    local n; n=$(grep "churn wave $k of" "$WORK/blast-$TAG.log" | grep -o '[0-9,]* prefixes withdrawn' | tr -d , | cut -d' ' -f1)
    cum=$((cum + n))
    wait_for "wave $k in $RECV" 300 moved_at_least $((c0[1] + peers * cum)) $((c0[2] + peers * cum))
    rss+=("$(( $(rss_kb "$RPID") / 1024 ))")
  done
  local churn1; churn1=$(now); local cpu; cpu=$(cpu_s "$RPID"); local hwm; hwm=$(hwm_kb "$RPID")
  local gclines=0; [ "$RECV" = ribbit ] && gclines=$(wc -l < "$GCLOG")
  local heap; heap=$(heap_$RECV)
  local gc="- - -"
  if [ "$RECV" = ribbit ]; then
    head -n "$gclines" "$GCLOG" | tail -n +$((gc0 + 1)) > "$WORK/gc-churn.log"; gc=$(gc_pauses "$WORK/gc-churn.log")
  fi
  # ingest = table load from the first route; extra = waves, churn prefixes (withdrawn + re-announced)/s at the receiver, RSS per wave, churn CPU
  local ops=$((2 * peers * cum))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SCEN" "$RECV" "$total" "$(sub "$loaded" "$start")" \
    "$hwm" "$heap0" "$heap" "$(sub "$cpu" "$cpu0")" "$gc" "$rss0" \
    "waves=$waves ops=$ops churn_s=$(sub "$churn1" "$churn0") churn_cpu=$(sub "$cpu" "$cpuc0") rss_mib=$(IFS=,; echo "${rss[*]}")" >> "$RESULTS"
  stop_pids "$bpid" "$RPID"
}

# ---------------------------------------------------------------- run
[[ ,$SCENARIOS, == *,s1,* ]] && python3 "$FEEDER" gen --v4 "$V4" --peers 1 >/dev/null
[[ ,$SCENARIOS, == *,s2,* ]] && python3 "$FEEDER" gen --v4 "$V4" --peers 4 >/dev/null
echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) CPUs, $(java -version 2>&1 | head -1), $(bird --version 2>&1 | head -1 || true)"
echo "# command: $0 --v4 $V4 --scenarios $SCENARIOS --receivers $RECEIVERS$([ "$EVENTS" = yes ] && echo ' --events')" \
  "(CHURN_SECONDS=$CHURN_SECONDS CHURN_PERCENT=$CHURN_PERCENT CHURN_INTERVAL=$CHURN_INTERVAL WARMUP=${WARMUP:-0} LOC_RIB=${LOC_RIB:-false} RIBBIT_JAVA_OPTS='${RIBBIT_JAVA_OPTS:-}')"
echo "# load before: $(uptime | sed 's/.*load average/load average/')"
for SCEN in ${SCENARIOS//,/ }; do
  for RECV in ${RECEIVERS//,/ }; do
    TAG=$SCEN-$RECV
    echo "# $SCEN against $RECV ... ($(uptime | sed 's/.*load average/load average/'))"
    case "$SCEN" in
      s1) table 1 ;;
      s2) table 4 ;;
      churn) churn ;;
      *) echo "unknown scenario $SCEN"; exit 2 ;;
    esac
  done
done
echo "# load after: $(uptime | sed 's/.*load average/load average/')"
python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def mib(b): return f"{int(b) / 1048576:,.0f}"
print("| scenario | receiver | routes | ingest s | prefixes/s | peak RSS MiB | RSS growth B/route | heap after full GC MiB | bytes/route | CPU s | GC pauses (n, p99 ms, max ms) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
res = {}
for scen, recv, routes, t, hwm, heap0, heap, cpu, gc, rss0, extra in rows:
    routes, t = int(routes), float(t)
    bpr = (int(heap) - int(heap0)) / routes
    rpr = (int(hwm) - int(rss0)) * 1024 / routes
    res[(scen, recv)] = dict(t=t, pps=routes / t, rss=int(hwm) * 1024, rpr=rpr, heap=int(heap), bpr=bpr, cpu=float(cpu))
    n, p99, mx = gc.split()
    gct = "-" if n == "-" else f"{n}, {p99}, {mx}"
    what = "table load, from the first route" if scen == "churn" else "from the first UPDATE sent"
    print(f"| {scen} | {recv} | {routes:,} | {t:.2f} | {routes / t:,.0f} | {mib(int(hwm) * 1024)} | {rpr:.0f} | {mib(heap)} | {bpr:.0f} | {float(cpu):.1f} | {gct} |")
for scen, recv, routes, t, hwm, heap0, heap, cpu, gc, rss0, extra in rows:
    if extra:
        kv = dict(x.split("=", 1) for x in extra.split())
        n, p99, mx = gc.split()
        print(f"\n{scen} / {recv}: {kv['waves']} waves, {int(kv['ops']):,} prefixes withdrawn + re-announced in "
              f"{float(kv['churn_s']):.1f} s ({int(kv['ops']) / float(kv['churn_s']):,.0f}/s incl. pauses), CPU {float(kv['churn_cpu']):.1f} s; "
              f"RSS after each wave (MiB): {kv['rss_mib']}" + ("" if n == "-" else f"; GC pauses during churn: {n}, p99 {p99} ms, max {mx} ms"))
ratios = [(s, res[(s, "ribbit")], res[(s, "bird")]) for s in dict.fromkeys(r[0] for r in rows)
          if (s, "ribbit") in res and (s, "bird") in res]
if ratios:
    print("\n| scenario | Ribbit/BIRD ingest s | prefixes/s | peak RSS | RSS growth | heap (BIRD: show memory) | bytes/route | CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for s, r, b in ratios:
        q = lambda k: f"{r[k] / b[k]:.2f}" if b[k] else "-"
        print(f"| {s} | {q('t')} | {q('pps')} | {q('rss')} | {q('rpr')} | {q('heap')} | {q('bpr')} | {q('cpu')} |")
PY
