#!/usr/bin/env bash
# SIP capacity on this machine, with SIPp (Debian sip-tester) as the phones: builds Release,
# starts the server on 127.0.0.1 with --sip-port and a throw-away configuration, then
#   1. call rate: CALLS short calls into rooms at RATE calls/s; reports how many succeeded
#      and the rate SIPp achieved;
#   2. members held: ROOMS rooms of MEMBERS G.711 phones, TALKERS of them sending a tone, the
#      rest sending silence, held for HOLD seconds; the server's CPU is sampled from /proc
#      once everyone is in, and the mixer's tick lateness p99 read from /metrics.
# Prints a summary (members per core = members / server cores busy). Not part of ./test.sh.
#
# Usage: scripts/sip-load.sh [--rooms N] [--members N] [--talkers N] [--hold S] [--rate N] [--calls N]
# Defaults: 4 rooms of 30 members, 4 talkers, 60 s held; 300 calls at 30 calls/s.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require.sh

rooms=4; members=30; talkers=4; hold=60; rate=30; calls=300
while [ $# -gt 0 ]; do
  case "$1" in
    --rooms) rooms="$2"; shift ;;
    --members) members="$2"; shift ;;
    --talkers) talkers="$2"; shift ;;
    --hold) hold="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    --calls) calls="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "sip-load.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}" sip-tester curl python3

work="$(mktemp -d /tmp/sip-load.XXXXXX)"
http_port=18543; media_port=26484; sip_port=15060
server_pid=""
cleanup() {
  pkill -f "sipp 127.0.0.1:$sip_port" 2>/dev/null || true
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

dotnet build Server/Server.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p "$work/conf"
cp conf/*.json "$work/conf/"
echo '{"limits":{},"sipGuests":true}' > "$work/conf/server.json"

# Pcaps of 20 ms PCMU packets: a 440 Hz tone for talkers, silence for listeners.
python3 -W ignore - "$work" "$hold" <<'PY'
import audioop, math, struct, sys
work, hold = sys.argv[1], int(sys.argv[2])
def pcap(path, seconds, freq):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        n = 0
        for p in range(int(seconds * 50)):
            pcm = b"".join(struct.pack("<h", int(0.3 * 32767 * math.sin(2 * math.pi * freq * (n + i) / 8000)) if freq else 0) for i in range(160))
            n += 160
            rtp = struct.pack(">BBHII", 0x80, 0, p & 0xffff, p * 160, 0x10ad10ad) + audioop.lin2ulaw(pcm, 2)
            udp = struct.pack(">HHHH", 6000, 6002, 8 + len(rtp), 0) + rtp
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            frame = b"\0" * 12 + b"\x08\x00" + ip
            us = p * 20000
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(frame), len(frame)) + frame)
pcap(f"{work}/tone.pcap", hold + 10, 440)
pcap(f"{work}/silence.pcap", hold + 10, 0)
PY
for kind in tone silence; do
  sed -e "s|%PCAP%|$work/$kind.pcap|" -e "s|%HOLD_MS%|$((hold * 1000))|" tests/Server.Tests/Sip/Scenarios/uac-room.xml > "$work/$kind.xml"
done
sed -e "s|%PCAP%|$work/silence.pcap|" -e "s|%HOLD_MS%|1000|" tests/Server.Tests/Sip/Scenarios/uac-room.xml > "$work/short.xml"

dotnet Server/bin/Release/net10.0/Server.dll --conf "$work/conf" --data "$work/data" --bind 127.0.0.1 --public-ip 127.0.0.1 \
  --http-port "$http_port" --media-port "$media_port" --sip-port "$sip_port" --rtp-ports 30000-39999 > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -ksf "https://127.0.0.1:$http_port/health" > /dev/null && break; sleep 0.5; done

metric() { curl -ks "https://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

echo "== call rate: $calls calls at $rate calls/s into room 3500 (1 s each)"
sipp "127.0.0.1:$sip_port" -sf "$work/short.xml" -s 3500 -m "$calls" -r "$rate" -l "$((rate * 3))" -i 127.0.0.1 -mi 127.0.0.1 -p 16060 -mp 40000 \
  -nostdin -trace_stat -stf "$work/rate.csv" -timeout 120s > "$work/rate.out" 2>&1 || true
python3 - "$work/rate.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=";"))
head, last = rows[0], rows[-1]
get = lambda name: last[head.index(name)]
print(f"   successful {get('SuccessfulCall(C)')}, failed {get('FailedCall(C)')}, achieved {float(get('CallRate(C)')):.1f} calls/s")
PY

echo "== members held: $rooms rooms x $members G.711 phones ($talkers talking), $hold s"
port=17000; mport=42000
sipp_pids=()
for r in $(seq 1 "$rooms"); do
  room=$((3900 + r))
  sipp "127.0.0.1:$sip_port" -sf "$work/tone.xml" -s "$room" -m "$talkers" -l "$talkers" -r 10 -i 127.0.0.1 -mi 127.0.0.1 -p "$port" -mp "$mport" -nostdin -timeout "$((hold + 60))s" > "$work/talkers-$room.out" 2>&1 &
  sipp_pids+=($!)
  port=$((port + 1)); mport=$((mport + 4)) # SIPp binds the media port and +2 (video)
  sipp "127.0.0.1:$sip_port" -sf "$work/silence.xml" -s "$room" -m "$((members - talkers))" -l "$((members - talkers))" -r 20 -i 127.0.0.1 -mi 127.0.0.1 -p "$port" -mp "$mport" -nostdin -timeout "$((hold + 60))s" > "$work/listeners-$room.out" 2>&1 &
  sipp_pids+=($!)
  port=$((port + 1)); mport=$((mport + 4)) # SIPp binds the media port and +2 (video)
done
want=$((rooms * members))
for _ in $(seq 1 120); do
  [ "$(metric mediaserver_conference_members || echo 0)" -ge "$want" ] 2>/dev/null && break
  sleep 0.5
done
sleep 5
t0=$(cpu_ticks); s0=$(date +%s.%N)
sleep 20
t1=$(cpu_ticks); s1=$(date +%s.%N)
joined="$(metric mediaserver_conference_members || echo 0)"
hz=$(getconf CLK_TCK)
python3 - "$joined" "$t0" "$t1" "$s0" "$s1" "$hz" "$(nproc)" "$(metric mediaserver_mixer_tick_lateness_p99_microseconds || echo '?')" <<'PY'
import sys
joined, t0, t1, s0, s1, hz, cores, p99 = sys.argv[1:]
busy = (int(t1) - int(t0)) / int(hz) / (float(s1) - float(s0))
joined = int(float(joined))
print(f"   members in rooms: {joined}; server CPU: {busy * 100:.0f} % of one core ({busy / int(cores) * 100:.0f} % of the machine's {cores})")
print(f"   members per core: {joined / busy:.0f}; mixer tick lateness p99: {p99} us")
PY
# Only the phones: a bare `wait` would also wait for the server, which runs until cleanup.
wait "${sipp_pids[@]}"
echo "(logs and SIPp output in $work)"
