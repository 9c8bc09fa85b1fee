#!/usr/bin/env bash
# The audio scenarios of scripts/audio-load.sh against Janus's AudioBridge, side by side with
# our server: builds Release, installs Janus (Debian package `janus`) if missing, writes a
# throw-away configuration (scripts/janus-config.sh: REST API on 127.0.0.1, AudioBridge only,
# ICE-lite), starts a fresh Janus per scenario and ramps it with bench/Bench.Load
# --scenario audio --target janus, each within two minutes:
#   small rooms: 5 members, everyone may talk
#   big rooms:  30 members, 4 talkers
# The ramp stops at 70 % Janus CPU or 1 % loss (Janus has no /metrics: tick lateness is n/a).
# Server CPU is the janus process's, from /proc/<pid>/stat. Prints each run's summary and a
# line per scenario (members, members per core, CPU, latency p50/p95), keeps the reports,
# stops Janus. Not part of ./test.sh. Compare with scripts/audio-load.sh on the same machine.
#
# Usage: scripts/janus-load.sh [--quick] [--out DIR]
#   --quick   a smoke run at small scale (a few rooms each, 30 s), to check the machinery
#   --only N  run only scenario N (steady-latency, small-rooms, big-rooms...)
#   --out     where the JSON results, the reports (DIR/NAME/report.html, steps.csv) and
#             Janus's logs go (default: a new folder under /tmp)
# Environment: JANUS_LOAD_HTTP_PORT (default 18088; Debian's janus service, if it runs, has 8088).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require.sh

quick=0
out=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    --only) only="${2:?--only needs a scenario name}"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "janus-load.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" curl janus

http_port="${JANUS_LOAD_HTTP_PORT:-18088}"
janus_url="http://127.0.0.1:$http_port/janus"
work="$(mktemp -d /tmp/janus-load.XXXXXX)"
out="${out:-$work/results}"
mkdir -p "$out"
janus_pid=""

stop_janus() {
  if [ -n "$janus_pid" ] && kill -0 "$janus_pid" 2>/dev/null; then
    kill "$janus_pid" 2>/dev/null || true
    # Janus ends its sessions and plugins on SIGTERM; give it a few seconds, then insist.
    for _ in $(seq 1 50); do kill -0 "$janus_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$janus_pid" 2>/dev/null || true
    wait "$janus_pid" 2>/dev/null || true
  fi
  janus_pid=""
}
cleanup() {
  stop_janus
  rm -rf "$work/conf"
  # Gone unless it holds the results (no --out).
  rmdir "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s --max-time 1 -o /dev/null "$janus_url" 2>/dev/null; then
  echo "error: something already answers on 127.0.0.1:$http_port; set JANUS_LOAD_HTTP_PORT" >&2
  exit 1
fi

echo "building (Release)..."
dotnet build bench/Bench.Load/Bench.Load.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

scripts/janus-config.sh "$work/conf" "$http_port"

# start_janus NAME: a fresh Janus for each scenario, so one run's rooms and sessions cannot
# colour the next. Its log goes next to the results.
start_janus() {
  local name="$1"
  janus -F "$work/conf" -C "$work/conf/janus.jcfg" > "$out/janus-$name.log" 2>&1 &
  janus_pid=$!
  for _ in $(seq 1 300); do
    if curl -s --max-time 1 -X POST -d '{"janus":"info","transaction":"ready"}' "$janus_url" 2>/dev/null | grep -q '"server_info"'; then
      return 0
    fi
    if ! kill -0 "$janus_pid" 2>/dev/null; then
      echo "error: Janus exited during start-up; its log:" >&2
      tail -20 "$out/janus-$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "error: Janus did not answer on $janus_url within 30 s; its log: $out/janus-$name.log" >&2
  exit 1
}

# run_scenario NAME ARGS...: one ramp against a fresh Janus, bounded by timeout(1) as well
# as by the load generator's own watchdog.
failed=0
run_scenario() {
  local name="$1"
  shift
  if [ -n "$only" ] && [ "$only" != "$name" ]; then
    return
  fi
  echo
  echo "=== $name (Janus AudioBridge) ==="
  start_janus "$name"
  local status=0
  timeout --signal=TERM --kill-after=10 170 \
    dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll --scenario audio \
      --target janus --janus-url "$janus_url" --server-pid "$janus_pid" \
      --json "$out/$name.json" --report "$out/$name" "$@" || status=$?
  stop_janus
  if [ "$status" -ne 0 ]; then
    echo "$name: Bench.Load exited with $status" >&2
    failed=1
  fi
}

# The scenarios of scripts/audio-load.sh (room numbers 3000-3999, which Janus takes as
# AudioBridge room ids). Its third, the 39xx large-room profile, is our dialplan's and has no
# Janus counterpart. Big rooms ramp from one room, one room a step: Janus encodes a mix per
# member, and on a 2-core machine the 4 rooms our server's ramp starts with (120 members)
# already cross 70 %, which would leave no step to report.
if [ "$quick" -eq 1 ]; then
  run_scenario small-rooms --ramp --room-size 5 --talkers 5 --room-prefix 3 --members 15 \
    --start-rooms 1 --step-rooms 1 --step-seconds 3 --settle 1 --duration 30
  run_scenario big-rooms --ramp --room-size 30 --talkers 4 --room-prefix 3 --members 60 \
    --start-rooms 1 --step-rooms 1 --step-seconds 3 --settle 2 --duration 30
fi
# Latency at a held load, once the jitter buffers have settled: 4 rooms of 5, measured for 20 s
# after 15 s (a ramp's steps measure members seconds after they joined, while the jitter their
# own joins caused still holds the buffers up). The same in both modes: it takes under a minute.
run_scenario steady-latency --room-size 5 --talkers 5 --room-prefix 3 --members 20 --settle 15 --duration 20
if [ "$quick" -eq 0 ]; then
  # 40 members first, then 10 more every ~7 s.
  run_scenario small-rooms --ramp --room-size 5 --talkers 5 --room-prefix 3 --members 500 \
    --start-rooms 8 --step-rooms 2 --step-seconds 4 --settle 2 --duration 100
  # 30 members first, then 30 more every ~8 s.
  run_scenario big-rooms --ramp --room-size 30 --talkers 4 --room-prefix 3 --members 1500 \
    --start-rooms 1 --step-rooms 1 --step-seconds 4 --settle 3 --duration 100 --join-parallelism 12
fi

# summary NAME: one line from the JSON (the last step inside every limit).
summary() {
  local file="$out/$1.json"
  if [ ! -s "$file" ]; then
    echo "$1: no result"
    return
  fi
  # The "result" object comes first in the file, "failedStep" right after it; these read its
  # fields (no jq needed).
  field() { awk -v key="\"$1\"" '/"result": \{/{f=1} /"failedStep"/{exit} f && index($0, key){gsub(/[",]/,""); print $2; exit}' "$file"; }
  local members per_core cpu p50 p95 reason
  members=$(field members)
  per_core=$(field membersPerCore)
  cpu=$(field serverCpuPercent)
  p50=$(field p50Milliseconds)
  p95=$(field p95Milliseconds)
  reason=$(sed -n 's/.*"stopReason": "\(.*\)",/\1/p' "$file" | head -1)
  if [ -z "$members" ]; then
    echo "$1: no step stayed inside the limits (stopped: $reason)"
    return
  fi
  echo "$1: $members members = $per_core per core at Janus CPU ${cpu} %, latency p50 ${p50:-n/a} ms, p95 ${p95:-n/a} ms; stopped: $reason"
}

echo
echo "=== Janus AudioBridge results (JSON, reports and Janus logs in $out) ==="
summary steady-latency
summary small-rooms
summary big-rooms
exit "$failed"
