#!/usr/bin/env bash
# Soak: a steady conference load held for an hour against a throw-away Release server on
# 127.0.0.1, to find leaks and drift. Rooms of 5 with 2 talkers each (default 60 members, about
# 60 % of this 2-core machine: pick --members for yours from scripts/audio-load.sh), every
# member a real WebRTC peer. The hold is cut into 10 s windows (RSS, tick lateness p99, CPU,
# loss) kept in OUT/soak.csv, and judged: the server's memory may grow by less than 1 % an hour
# (least squares after a warm-up fifth) and the mixer's tick lateness may not trend upwards
# (last quarter against first). Exit 1 when either fails. Not part of ./test.sh, which runs a
# two-minute version (tests/Server.Tests/Operations/SoakTests.cs).
#
# Usage: scripts/soak.sh [--minutes N] [--members N] [--out DIR]
# Environment: SOAK_HTTP_PORT (default 18483), SOAK_MEDIA_PORT (default 26784).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require.sh

minutes=60; members=60; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a number}"; shift ;;
    --members) members="${2:?--members needs a number}"; shift ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" curl

http_port="${SOAK_HTTP_PORT:-18483}"
media_port="${SOAK_MEDIA_PORT:-26784}"
source scripts/load-server.sh
load_workspace soak

build_load
write_load_config "$password"
start_load_server soak

seconds=$((minutes * 60))
status=0
timeout --signal=TERM --kill-after=10 $((seconds + 300)) \
  dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll --scenario audio \
    --url "wss://127.0.0.1:$http_port/" --insecure --login 1000@localhost --password "$password" \
    --server-pid "$server_pid" --room-size 5 --talkers 2 --room-prefix 3 --members "$members" \
    --settle 20 --duration "$seconds" --soak-csv "$out/soak.csv" --soak-interval 10 \
    --report "$out/report" 2>&1 | tee "$out/soak.log" || status=$?
stop_load_server
if [ "$status" -ne 0 ]; then
  echo "soak: Bench.Load exited with $status" >&2
  exit 1
fi
if grep -q "^soak .*FAIL" "$out/soak.log"; then
  echo "soak: FAILED (windows in $out/soak.csv)"
  exit 1
fi
echo "soak: passed (windows in $out/soak.csv)"
