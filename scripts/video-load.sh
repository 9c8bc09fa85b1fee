#!/usr/bin/env bash
# Canvas capacity on this machine: builds Release, starts the server on 127.0.0.1 with a
# throw-away configuration and data folder, and ramps rooms of 9 members, each sending Opus
# and pre-encoded 640x360 VP8 at 30 fps (bench/Bench.Load --scenario audio --video), one room
# per step, up to 5 rooms within about two and a half minutes. Every room gets a 1280x720
# canvas at 30 fps (the shipped default profile, 3x3 grid). Goal:
#   >= 3 rooms at <= 75 % server CPU (of the whole machine), every member's canvas within
#   10 % of 30 fps (and the audio mixer's tick p99 <= 5 ms, canvas and audio loss <= 1 %).
# Prints the summary and a verdict, keeps the JSON, stops the server. Not part of ./test.sh.
#
# Usage: scripts/video-load.sh [--quick] [--out DIR] [--server DLL]
#   --quick   a smoke run at small scale (up to 2 rooms, about 40 s), to check the machinery
#   --out     where the JSON result and server log go (default: a new folder under /tmp)
#   --server  run this Server.dll (another checkout's Release build) instead of building this one's
# Environment: VIDEO_LOAD_HTTP_PORT (default 18453), VIDEO_LOAD_MEDIA_PORT (default 26484).
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "$0")/.."
source scripts/require.sh

quick=0
out=""
server_dll=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    --server)
      server_dll="${2:?--server needs a Server.dll}"
      case "$server_dll" in /*) ;; *) server_dll="$caller_dir/$server_dll" ;; esac
      shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "video-load.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" curl

http_port="${VIDEO_LOAD_HTTP_PORT:-18453}"
media_port="${VIDEO_LOAD_MEDIA_PORT:-26484}"
work="$(mktemp -d /tmp/video-load.XXXXXX)"
out="${out:-$work/results}"
mkdir -p "$out"
password="load-$RANDOM$RANDOM"
source scripts/load-server.sh
goal_rooms=3

cleanup() {
  stop_load_server
  rm -rf "$work/conf" "$work/data"
  # Gone unless it holds the results (no --out).
  rmdir "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release)..."
if [ -z "$server_dll" ]; then
  dotnet build Server/Server.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
  server_dll=Server/bin/Release/net10.0/Server.dll
elif [ ! -f "$server_dll" ]; then
  echo "error: no such server build: $server_dll" >&2
  exit 2
fi
dotnet build bench/Bench.Load/Bench.Load.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

# The shipped configuration (rooms 3xxx: the default profile, 1280x720 at 30 fps,
# group:grid) with one user whose password we know.
write_load_config "$password"
start_load_server video "$server_dll"

if [ "$quick" -eq 1 ]; then
  rooms=2
  ramp=(--step-seconds 4 --settle 3 --duration 40)
else
  # A step: 9 joins (about 2 s), 4 s to settle (DTLS, the canvas's first keyframes), 6 s
  # measured, and a second 6 s if it crossed a limit: 5 rooms fit in about 100 s.
  rooms=5
  ramp=(--step-seconds 6 --settle 4 --duration 150)
fi

echo
echo "=== canvas load: rooms of 9 video members, up to $rooms rooms ==="
status=0
# Two talkers per room: speech keeps the audio mixer honest without dominating the figure.
timeout --signal=TERM --kill-after=10 220 \
  dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll --scenario audio --video \
    --url "wss://127.0.0.1:$http_port/" --insecure --login 1000@localhost --password "$password" \
    --server-pid "$server_pid" --json "$out/video.json" --report "$out/video" \
    --ramp --room-size 9 --talkers 2 --room-prefix 3 --members $((rooms * 9)) \
    --start-rooms 1 --step-rooms 1 --max-cpu 75 --canvas-fps 30 --max-fps-deviation 10 \
    "${ramp[@]}" || status=$?
stop_load_server
if [ "$status" -ne 0 ]; then
  echo "Bench.Load exited with $status" >&2
fi

# The verdict, from the JSON: the last ramp step inside every limit.
file="$out/video.json"
echo
echo "=== result (JSON and server log in $out) ==="
if [ ! -s "$file" ]; then
  echo "no result"
  exit 1
fi
# The "result" object comes first in the file; these read its fields, the video ones from
# its "video" object (no jq needed).
field() { awk -v key="\"$1\"" '/"result": \{/{f=1} f && index($0, key){gsub(/[",]/,""); print $2; exit}' "$file"; }
reason=$(sed -n 's/.*"stopReason": "\(.*\)",/\1/p' "$file" | head -1)
got_rooms=$(field rooms)
if [ -z "$got_rooms" ]; then
  if [ "$quick" -eq 1 ]; then
    echo "verdict: no step stayed inside the limits (stopped: $reason)"
  else
    echo "verdict: no step stayed inside the limits (stopped: $reason); goal >= $goal_rooms rooms: NOT MET"
  fi
  exit 1
fi
members=$(field members)
cpu=$(field serverCpuPercent)
peak=$(field serverCpuPeakPercent)
fps=$(field fpsMean)
fps_min=$(field fpsMin)
fps_max=$(field fpsMax)
deviation=$(field fpsDeviationPercent)
second_min=$(field secondFpsMin)
second_max=$(field secondFpsMax)
second_deviation=$(field secondDeviationPercent)
encode=$(field encodeMillisecondsPerFrame)
decode=$(field decodeMillisecondsPerFrame)
compose=$(field composeMillisecondsPerFrame)
echo "last good step: $got_rooms rooms ($members members) at server CPU $cpu % avg, $peak % peak;" \
  "canvas fps $fps (members $fps_min-$fps_max, +-$deviation %; seconds $second_min-$second_max, +-$second_deviation %);" \
  "per frame: compose $compose ms, encode $encode ms, decode $decode ms"
echo "stopped: $reason"
if [ "$quick" -eq 1 ]; then
  echo "verdict: none (--quick runs at most $rooms rooms; the goal is >= $goal_rooms)"
elif [ "$got_rooms" -ge "$goal_rooms" ]; then
  echo "verdict: $got_rooms rooms of 9 with a 720p30 canvas within 75 % CPU and fps within 10 %: goal >= $goal_rooms rooms MET"
else
  echo "verdict: $got_rooms rooms of 9 with a 720p30 canvas within 75 % CPU and fps within 10 %: goal >= $goal_rooms rooms NOT MET"
fi
exit "$status"
