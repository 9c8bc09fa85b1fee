#!/usr/bin/env bash
# Signalling capacity on this machine: builds Release, starts the server on 127.0.0.1 with a
# throw-away configuration and data folder, and runs the signalling storm of bench/Bench.Load:
# 200 websocket clients log in, subscribe to a room's channel and verto.broadcast 5 times a
# second, every broadcast delivered to each member of the room.
#   rooms-of-10: 20 rooms   1,000 broadcasts/s  ->  10,000 delivered msgs/s
#   rooms-of-20: 10 rooms   1,000 broadcasts/s  ->  20,000 delivered msgs/s
# Goal: >= 10,000 delivered msgs/s with p99 latency <= 10 ms, nothing lost. Each run writes
# results.json, results.csv and report.html under OUT/<name>/; the server's CPU over the
# window is read from /proc. Not part of ./test.sh.
#
# Usage: scripts/signalling-load.sh [--quick] [--out DIR]
#   --quick   10 s runs instead of 20 s
#   --out     where the results and server logs go (default: a new folder under /tmp)
# Environment: SIGNALLING_LOAD_HTTP_PORT (default 18463), SIGNALLING_LOAD_MEDIA_PORT (default 26584).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require.sh

quick=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "signalling-load.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" curl

http_port="${SIGNALLING_LOAD_HTTP_PORT:-18463}"
media_port="${SIGNALLING_LOAD_MEDIA_PORT:-26584}"
source scripts/load-server.sh
load_workspace signalling-load

build_load
write_load_config "$password"

duration=20
[ "$quick" -eq 1 ] && duration=10
failed=0

# run_storm NAME ROOMS: one storm against a fresh server, bounded by timeout(1) as well as
# by the load generator's own watchdog (warmup + duration + 35 s).
run_storm() {
  local name="$1" rooms="$2" status=0
  echo
  echo "=== $name: 200 connections, $rooms rooms, 5 broadcasts/s each ==="
  start_load_server "$name"
  timeout --signal=TERM --kill-after=10 $((duration + 60)) \
    dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll \
      --url "wss://127.0.0.1:$http_port/" --insecure --user 1000 --password "$password" \
      --connections 200 --rooms "$rooms" --rate 5 --warmup 3 --duration "$duration" \
      --server-pid "$server_pid" --check --report "$out/$name" || status=$?
  stop_load_server
  if [ "$status" -ne 0 ]; then
    echo "$name: Bench.Load exited with $status" >&2
    failed=1
  fi
}

run_storm rooms-of-10 20
run_storm rooms-of-20 10
exit "$failed"
