#!/usr/bin/env bash
# Writes a minimal Janus (Debian package `janus`, 1.1) configuration into DIR: the HTTP REST
# transport on 127.0.0.1:PORT (admin API off), the AudioBridge plugin only (rooms are created
# through the API), ICE-lite with one host candidate on MEDIA_IP. Start Janus with
# `janus -F DIR -C DIR/janus.jcfg` (scripts/janus-load.sh does). Every other plugin,
# transport, event handler and logger is disabled so the process we measure does only the
# AudioBridge's work.
#
# Media cannot use 127.0.0.1: Janus skips loopback interfaces when it gathers candidates
# (src/ice.c, "Skip loopback interfaces"), and so does libnice when Janus gives it none. So
# Janus gathers on MEDIA_IP, an address of one of this machine's own interfaces (default: the
# first global IPv4 address); packets to it never leave the machine, the kernel delivers them
# over loopback. The load generator binds its members to the same address.
#
# Usage: scripts/janus-config.sh DIR [HTTP_PORT [MEDIA_IP]]   (default port 8088)
set -euo pipefail
dir="${1:?usage: janus-config.sh DIR [HTTP_PORT [MEDIA_IP]]}"
port="${2:-8088}"
media_ip="${3:-$(ip -4 -o addr show scope global 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')}"
if [ -z "$media_ip" ]; then
  echo "janus-config.sh: this machine has no global IPv4 address for Janus's media (Janus gathers none on loopback)" >&2
  exit 1
fi
lib="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/janus"
mkdir -p "$dir"

cat > "$dir/janus.jcfg" <<CFG
general: {
	configs_folder = "$dir"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	debug_level = 3
	# The load generator keeps one long poll open per session, which refreshes it.
	session_timeout = 60
	admin_secret = "unused"
	protected_folders = [ "/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var" ]
}
certificates: {
	# Janus generates a throw-away DTLS certificate at start.
}
media: {
	rtp_port_range = "20000-40000"
}
nat: {
	# As our server: an ICE-lite answerer, so both are driven the same way (the load members
	# are the controlling full agents). libnice still checks the pair in ICE-lite mode and
	# nominates it only when its own check is answered: the members answer them.
	ice_lite = true
	full_trickle = false
	nice_debug = false
	ignore_mdns = true
	# One host candidate: this address only (no IPv6, no other interfaces). Loopback is never
	# gathered, whatever this says.
	ice_enforce_list = "$media_ip"
}
plugins: {
	disable = "libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_videoroom.so,libjanus_voicemail.so"
}
transports: {
	disable = "libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so,libjanus_websockets.so"
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
events: {
	broadcast = false
	disable = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_sampleevh.so,libjanus_wsevh.so"
}
CFG

cat > "$dir/janus.transport.http.jcfg" <<CFG
general: {
	json = "compact"
	base_path = "/janus"
	http = true
	port = $port
	ip = "127.0.0.1"
	https = false
}
admin: {
	admin_http = false
	admin_https = false
}
CFG

cat > "$dir/janus.plugin.audiobridge.jcfg" <<CFG
general: {
	# Rooms are created by the load members ("create", 48 kHz); nothing is kept on disk.
	events = false
}
CFG
