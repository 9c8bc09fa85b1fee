#!/usr/bin/env bash
# What one machine carries, in one command: runs the load scenarios against a Release server
# on 127.0.0.1 and collects their results (JSON, CSV, HTML reports, server logs) under
# bench-results/<date>/. Not part of ./test.sh (it takes minutes and loads both cores).
#
#   ./bench.sh            audio rooms (small all-talk, big few-talkers) on MediaServer and, when
#                         scripts/janus-load.sh is there, the same rooms on Janus AudioBridge;
#                         the signalling storm; SIP phones in rooms; then bench-results/<date>/index.html,
#                         every goal against what was measured, both servers side by side
#   ./bench.sh --quick    the same at small scale, to check the machinery (about 3 minutes)
#   ./bench.sh --video    also the video canvas scenario (scripts/video-load.sh)
#   ./bench.sh --micro    also the BenchmarkDotNet suite (bench/Bench.Micro, markdown tables)
#
# Each part is its own script under scripts/ and can be run alone; see the README, "Capacity".
set -euo pipefail
cd "$(dirname "$0")"

quick=0; video=0; micro=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --video) video=1 ;;
    --micro) micro=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

out="bench-results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
status=0
quick_flag=()
[ "$quick" -eq 1 ] && quick_flag=(--quick)

echo "== audio rooms (scripts/audio-load.sh) -> $out/audio"
scripts/audio-load.sh "${quick_flag[@]}" --out "$out/audio" || status=1

if [ -x scripts/janus-load.sh ]; then
  echo "== the same audio rooms on Janus AudioBridge (scripts/janus-load.sh) -> $out/janus"
  scripts/janus-load.sh "${quick_flag[@]}" --out "$out/janus" || status=1
fi

echo "== signalling storm (scripts/signalling-load.sh) -> $out/signalling"
scripts/signalling-load.sh "${quick_flag[@]}" --out "$out/signalling" || status=1

echo "== SIP phones in rooms (scripts/sip-load.sh) -> $out/sip.txt"
if [ "$quick" -eq 1 ]; then
  scripts/sip-load.sh --rooms 1 --hold 15 --rate 20 --calls 60 | tee "$out/sip.txt" || status=1
else
  scripts/sip-load.sh | tee "$out/sip.txt" || status=1
fi

if [ "$video" -eq 1 ]; then
  echo "== video canvases (scripts/video-load.sh) -> $out/video"
  scripts/video-load.sh "${quick_flag[@]}" --out "$out/video" || status=1
fi

if [ "$micro" -eq 1 ]; then
  echo "== BenchmarkDotNet (bench/Bench.Micro) -> $out/micro"
  dotnet run -c Release --project bench/Bench.Micro -- --filter '*' --exporters markdown --artifacts "$out/micro" || status=1
fi

echo
echo "results: $out"
find "$out" -name 'report.html' -print | sort | sed 's/^/report: /'
dotnet bench/Bench.Load/bin/Release/net10.0/Bench.Load.dll --summary "$out" || status=1
exit $status
