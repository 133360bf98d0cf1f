#!/usr/bin/env bash
# Run a real single-node Apache Kafka (KRaft, broker+controller in one JVM) on loopback for tests.
#
#   scripts/kafka.sh up       fetch jars if needed, format the log dir once, start, wait until ready
#   scripts/kafka.sh down     SIGTERM, then SIGKILL after $KAFKA_STOP_TIMEOUT seconds
#   scripts/kafka.sh status   exit 0 when the broker answers a real request
#   scripts/kafka.sh clean    down, then delete the broker's data and logs
#   scripts/kafka.sh fetch    only resolve the jars (Maven) into the cache
#
# Jars come from Maven Central (org.apache.kafka:kafka_2.13 plus a log4j2 backend, see
# scripts/kafka/pom.xml), not from the release tarball: CI machines have Java 17 and Maven.
# Environment:
#   KAFKA_PORT (9092)  KAFKA_CONTROLLER_PORT (KAFKA_PORT+1)  KAFKA_CACHE_DIR (<repo>/.cache/kafka)
#   KAFKA_READY_TIMEOUT (120 s)  KAFKA_STOP_TIMEOUT (30 s)  KAFKA_FRESH=1 (up: wipe data first)
#   KAFKA_HEAP_OPTS (-Xms256m -Xmx1g)  KAFKA_JVM_OPTS (-XX:TieredStopAtLevel=1)
#   KAFKA_GC_OPTS (-XX:+UseG1GC -XX:MaxGCPauseMillis=20, Kafka's own default)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POM=$ROOT/scripts/kafka/pom.xml
CACHE=${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka}
PORT=${KAFKA_PORT:-9092}
CPORT=${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
STATE=$CACHE/run-$PORT
LIBS=$CACHE/libs
PIDFILE=$STATE/kafka.pid
OUT=$STATE/kafka.out
READY_TIMEOUT=${KAFKA_READY_TIMEOUT:-120}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}
# C1 only: a test broker lives for minutes, and C2 compiler threads would compete for the CPU
# with the tests (CI machines have 2 cores). Set KAFKA_JVM_OPTS=" " to drop it.
JVM_OPTS=${KAFKA_JVM_OPTS:--XX:TieredStopAtLevel=1}
# G1's young pauses on a one-core broker last 13-16 ms every few seconds under the bench's load,
# which is most of a latency tail measured through the broker; the bench runs it with ZGC.
GC_OPTS=${KAFKA_GC_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20}
PROBE=$CACHE/bin/kafkaready

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

require_java() {
	command -v java >/dev/null || die "java not found: Kafka 4.x needs Java 17 or newer"
	local spec
	spec=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
	[[ ${spec%%.*} -ge 17 ]] 2>/dev/null || die "java $spec found: Kafka 4.x needs Java 17 or newer"
}

# fetch resolves the runtime classpath once per pom.xml content; the stamp makes a version bump in
# the pom refetch instead of silently running stale jars.
fetch() {
	local want have=
	ensure_cache
	want=$(sha256sum "$POM" | cut -d' ' -f1)
	[[ -f $LIBS/.stamp ]] && have=$(<"$LIBS/.stamp")
	if [[ $want == "$have" ]]; then
		return 0
	fi
	command -v mvn >/dev/null || die "mvn not found: needed once to fetch Kafka jars from Maven Central"
	log "fetching Kafka jars with Maven into $LIBS"
	local t0=$SECONDS
	rm -rf "$LIBS.tmp"
	if ! mvn -B -q -Dstyle.color=never -f "$POM" \
		org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$CACHE/mvn.log" 2>&1; then
		cat "$CACHE/mvn.log" >&2
		die "maven could not fetch the Kafka jars (output above)"
	fi
	echo "$want" >"$LIBS.tmp/.stamp"
	rm -rf "$LIBS"
	mv "$LIBS.tmp" "$LIBS"
	log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
}

# ensure_cache creates the cache folder with a .gitignore that ignores the folder itself, so no
# repository-wide ignore rule is needed for it.
ensure_cache() {
	mkdir -p "$CACHE"
	[[ -f $CACHE/.gitignore ]] || printf '# scripts/kafka.sh cache: jars, broker data, logs\n*\n' >"$CACHE/.gitignore"
}

build_probe() {
	mkdir -p "$(dirname "$PROBE")"
	(cd "$ROOT" && go build -o "$PROBE" ./internal/integration/kafkaready) || die "cannot build the readiness probe"
}

# pid_alive is true only for our broker: a stale pid file must not make us signal an unrelated
# process that reused the pid.
pid_alive() {
	local pid=$1
	[[ -r /proc/$pid/cmdline ]] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "kafka.Kafka $STATE/server.properties"
}

# proc_running is for the pid we just started: until the forked shell has exec'd java its cmdline
# is not yet the broker's, so pid_alive would report a start-up failure that did not happen.
proc_running() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z ]]
}

running_pid() {
	[[ -f $PIDFILE ]] || return 1
	local pid
	pid=$(<"$PIDFILE")
	pid_alive "$pid" || return 1
	echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# JAVA is an array so the classpath wildcard reaches java unexpanded (java expands it itself).
set_java_cmd() {
	local heap extra gc
	read -r -a heap <<<"$HEAP_OPTS"
	read -r -a extra <<<"$JVM_OPTS"
	read -r -a gc <<<"$GC_OPTS"
	JAVA=(java "${heap[@]}" "${extra[@]}" "${gc[@]}" -XX:+ExitOnOutOfMemoryError
		-Djava.awt.headless=true
		"-Dlog4j2.configurationFile=$ROOT/scripts/kafka/log4j2.properties"
		"-Dkafka.logs.dir=$STATE/logs" -cp "$LIBS/*")
}

up() {
	local pid
	if [[ ${KAFKA_FRESH:-0} == 1 ]] && running_pid >/dev/null; then
		log "KAFKA_FRESH=1: stopping the running broker to start from an empty log dir"
		down
	fi
	if pid=$(running_pid); then
		log "already running (pid $pid, 127.0.0.1:$PORT)"
		wait_ready "$pid"
		return
	fi
	require_java
	for p in "$PORT" "$CPORT"; do
		port_in_use "$p" && die "127.0.0.1:$p is in use by another process; set KAFKA_PORT"
	done
	fetch
	build_probe
	set_java_cmd
	[[ ${KAFKA_FRESH:-0} == 1 ]] && rm -rf "$STATE"
	mkdir -p "$STATE/data" "$STATE/logs"
	sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CPORT|g" -e "s|@DATA_DIR@|$STATE/data|g" \
		"$ROOT/scripts/kafka/server.properties.in" >"$STATE/server.properties"
	if [[ ! -f $STATE/data/meta.properties ]]; then
		# A Kafka Uuid is 16 random bytes in unpadded URL-safe base64; generating it here saves a
		# JVM start (StorageTool random-uuid). It starts with '-' one time in 64, hence the '='.
		local cid
		cid=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
		"${JAVA[@]}" kafka.tools.StorageTool format "--cluster-id=$cid" -c "$STATE/server.properties" \
			>"$STATE/format.out" 2>&1 || { cat "$STATE/format.out" >&2; die "format failed"; }
	fi
	local t0=$SECONDS
	nohup "${JAVA[@]}" kafka.Kafka "$STATE/server.properties" >>"$OUT" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$PIDFILE"
	log "started pid $pid on 127.0.0.1:$PORT (controller $CPORT), log $OUT"
	wait_ready "$pid"
	log "ready in $((SECONDS - t0)) s"
}

wait_ready() {
	local pid=$1 deadline=$((SECONDS + READY_TIMEOUT))
	[[ -x $PROBE ]] || build_probe
	while ((SECONDS < deadline)); do
		if ! proc_running "$pid"; then
			tail -n 40 "$OUT" >&2 || true
			rm -f "$PIDFILE"
			die "broker exited during start-up (log above, full log $OUT)"
		fi
		if "$PROBE" -brokers "127.0.0.1:$PORT" -timeout 5s -quiet 2>/dev/null; then
			return 0
		fi
		sleep 0.5
	done
	tail -n 40 "$OUT" >&2 || true
	die "broker not ready after ${READY_TIMEOUT}s; still running as pid $pid (scripts/kafka.sh down stops it)"
}

down() {
	local pid
	if ! pid=$(running_pid); then
		rm -f "$PIDFILE"
		log "not running on port $PORT"
		return 0
	fi
	local t0=$SECONDS
	kill -TERM "$pid" 2>/dev/null || true
	while pid_alive "$pid" && ((SECONDS - t0 < STOP_TIMEOUT)); do sleep 0.2; done
	if pid_alive "$pid"; then
		log "pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		while pid_alive "$pid"; do sleep 0.1; done
	fi
	rm -f "$PIDFILE"
	log "stopped pid $pid in $((SECONDS - t0)) s"
}

status() {
	local pid
	if ! pid=$(running_pid); then
		echo "kafka: not running (port $PORT)"
		return 1
	fi
	[[ -x $PROBE ]] || build_probe
	if "$PROBE" -brokers "127.0.0.1:$PORT" -timeout 5s -quiet; then
		echo "kafka: ready (pid $pid, 127.0.0.1:$PORT)"
	else
		echo "kafka: running but not ready (pid $pid, 127.0.0.1:$PORT)"
		return 1
	fi
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
clean) down && rm -rf "$STATE" ;;
fetch) require_java && fetch ;;
*)
	echo "usage: $0 up|down|status|clean|fetch" >&2
	exit 2
	;;
esac
