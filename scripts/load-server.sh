# Sourced by the load scripts (audio-load.sh, video-load.sh, signalling-load.sh): a throw-away
# Release server on 127.0.0.1 with the shipped configuration and one user whose password the
# script knows. The caller sets work (a temp folder), out (results), http_port and media_port.

server_pid=""

# write_load_config PASSWORD: the shipped conf/ copied to $work/conf, with one user 1000, and
# the overload governor's threshold raised out of the way: a capacity figure is measured at the
# profile's full quality, not with the encoders the governor turns down past the limit.
write_load_config() {
  mkdir -p "$work/conf"
  cp -r conf/. "$work/conf/"
  sed -i 's/"overloadLatenessMs": [0-9]*/"overloadLatenessMs": 1000/' "$work/conf/server.json"
  cat > "$work/conf/directory.json" <<JSON
{
  "domain": "localhost",
  "users": [ { "id": "1000", "name": "Load", "password": "$1", "moderator": true } ]
}
JSON
}

# start_load_server NAME [SERVER_DLL]: a fresh server (fresh data folder), so one run's
# leftovers (heap, threads, rooms) cannot colour the next; logs to $out/server-NAME.log.
# Returns once /health answers; exits the script if it does not within 30 s.
start_load_server() {
  local name="$1" dll="${2:-Server/bin/Release/net10.0/Server.dll}"
  rm -rf "$work/data"
  mkdir -p "$work/data"
  dotnet "$dll" --conf "$work/conf" --data "$work/data" \
    --http-port "$http_port" --media-port "$media_port" --bind 127.0.0.1 --public-ip 127.0.0.1 \
    > "$out/server-$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -sk --max-time 1 "https://127.0.0.1:$http_port/health" 2>/dev/null | grep -q '"ok"'; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "error: the server exited during start-up; its log:" >&2
      tail -20 "$out/server-$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "error: the server did not answer /health within 30 s; its log: $out/server-$name.log" >&2
  exit 1
}

stop_load_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # The server shuts down gracefully on SIGTERM; give it a few seconds, then insist.
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# load_workspace NAME: a temporary folder for the configuration and data ($work), the results
# folder ($out, unless the caller chose one), a password for the load user, and traps that stop
# the server and remove the temporary files on exit (the folder stays when it holds the results).
load_workspace() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  out="${out:-$work/results}"
  mkdir -p "$out"
  password="load-$RANDOM$RANDOM"
  trap load_cleanup EXIT
  trap 'exit 130' INT TERM
}

load_cleanup() {
  stop_load_server
  rm -rf "$work/conf" "$work/data"
  rmdir "$work" 2>/dev/null || true
}

# build_load: the Release server and load generator the scripts run.
build_load() {
  echo "building (Release)..."
  dotnet build Server/Server.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet build bench/Bench.Load/Bench.Load.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
}
