#!/usr/bin/env bash
# Conference audio capacity on this machine: builds Release, starts the server on 127.0.0.1
# with a throw-away configuration and data folder, and ramps the two goal scenarios with
# bench/Bench.Load --scenario audio, each within two minutes:
#   small rooms: 5 members, everyone may talk  (goal: >= 50 members per core)
#   big rooms:  30 members, 4 talkers          (goal: >= 300 members per core)
# both at <= 70 % server CPU and mixer tick lateness p99 <= 5 ms. Prints each run's summary
# and a two-line verdict, keeps the JSON, stops the server. Not part of ./test.sh.
#
# Usage: scripts/audio-load.sh [--quick] [--out DIR]
#   --quick   a smoke run at small scale (a few rooms each, 30 s), to check the machinery
#   --only N  run only scenario N (steady-latency, small-rooms, big-rooms...)
#   --out     where the JSON results, the reports (DIR/NAME/report.html, steps.csv) and
#             server logs go (default: a new folder under /tmp)
# Environment: AUDIO_LOAD_HTTP_PORT (default 18443), AUDIO_LOAD_MEDIA_PORT (default 26384).
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
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "audio-load.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" curl

http_port="${AUDIO_LOAD_HTTP_PORT:-18443}"
media_port="${AUDIO_LOAD_MEDIA_PORT:-26384}"
work="$(mktemp -d /tmp/audio-load.XXXXXX)"
out="${out:-$work/results}"
mkdir -p "$out"
password="load-$RANDOM$RANDOM"
source scripts/load-server.sh

cleanup() {
  stop_load_server
  rm -rf "$work/conf" "$work/data"
  # Gone unless it holds the results (no --out).
  rmdir "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release)..."
dotnet build Server/Server.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Bench.Load/Bench.Load.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

# The shipped configuration with one user whose password we know.
write_load_config "$password"

# run_scenario NAME ARGS...: one ramp against a fresh server, bounded by timeout(1) as well
# as by the load generator's own watchdog.
failed=0
run_scenario() {
  local name="$1"
  shift
  if [ -n "$only" ] && [ "$only" != "$name" ]; then
    return
  fi
  echo
  echo "=== $name ==="
  start_load_server "$name"
  local status=0
  timeout --signal=TERM --kill-after=10 170 \
    dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll --scenario audio \
      --url "wss://127.0.0.1:$http_port/" --insecure --login 1000@localhost --password "$password" \
      --server-pid "$server_pid" --json "$out/$name.json" --report "$out/$name" "$@" || status=$?
  stop_load_server
  if [ "$status" -ne 0 ]; then
    echo "$name: Bench.Load exited with $status" >&2
    failed=1
  fi
}

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
  # 40 members first, then 10 more every ~7 s: up to about 180 in the time allowed.
  run_scenario small-rooms --ramp --room-size 5 --talkers 5 --room-prefix 3 --members 500 \
    --start-rooms 8 --step-rooms 2 --step-seconds 4 --settle 2 --duration 100
  # 120 members first, then 60 more every ~9 s: up to about 700 in the time allowed.
  run_scenario big-rooms --ramp --room-size 30 --talkers 4 --room-prefix 3 --members 1500 \
    --start-rooms 4 --step-rooms 2 --step-seconds 4 --settle 3 --duration 100 --join-parallelism 12
  # The same rooms dialled as 39xx, which the shipped dialplan gives the large-room profile
  # (Opus lowdelay, complexity 3): what the encoder's mode is worth.
  run_scenario big-rooms-large-profile --ramp --room-size 30 --talkers 4 --room-prefix 39 --members 1500 \
    --start-rooms 4 --step-rooms 2 --step-seconds 4 --settle 3 --duration 100 --join-parallelism 12
fi

# verdict NAME GOAL: one line from the JSON (the last step inside every limit).
verdict() {
  local file="$out/$1.json" goal="$2"
  if [ ! -s "$file" ]; then
    echo "$1: no result"
    return
  fi
  # The "result" object comes first in the file; these read its fields (no jq needed).
  field() { awk -v key="\"$1\"" '/"result": \{/{f=1} f && index($0, key){gsub(/[",]/,""); print $2; exit}' "$file"; }
  local members per_core cpu p99 p50 p95 reason
  members=$(field members)
  p50=$(field p50Milliseconds)
  p95=$(field p95Milliseconds)
  per_core=$(field membersPerCore)
  cpu=$(field serverCpuPercent)
  p99=$(field tickLatenessP99Milliseconds)
  reason=$(sed -n 's/.*"stopReason": "\(.*\)",/\1/p' "$file" | head -1)
  if [ -z "$members" ]; then
    echo "$1: no step stayed inside the limits (stopped: $reason)"
    return
  fi
  if [ "$goal" = latency ]; then
    echo "$1: $members members held, latency p50 ${p50:-n/a} ms, p95 ${p95:-n/a} ms (goal <= 35 / <= 60 ms) at server CPU ${cpu} %"
    return
  fi
  echo "$1: $members members = $per_core per core (goal >= $goal) at server CPU ${cpu} %, tick p99 <= ${p99} ms, latency p50 ${p50:-n/a} ms; stopped: $reason"
}

echo
echo "=== results (JSON and server logs in $out) ==="
verdict steady-latency latency
verdict small-rooms 50
verdict big-rooms 300
verdict big-rooms-large-profile 300
exit "$failed"
