#!/usr/bin/env bash
# Soak run: one node with its demo upstream (bin/gridgate --demo, ports 8080, 8081 and 9000 on
# loopback) under a constant open-loop rate for a long time, then the latency report of
# loadtest/load.sh and the node's heap, sampled from its /metrics every 30 s, printed together.
#   loadtest/soak.sh [--rate 300] [--duration 10m]
# The node gets a fixed heap (-Xmx512m) so a leak shows as a rising floor, not as a growing heap.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rate=300
duration=10m
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "soak: unknown flag $1 (expected: --rate N, --duration 10m)" >&2; exit 2 ;;
  esac
done
for port in 8080 8081 9000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "soak: port $port is in use; stop what listens there first" >&2
    exit 2
  fi
done
(cd "$root" && ./mvnw -q -B -DskipTests package)
log="$(mktemp -d)/node.log"
JAVA_OPTS="-Xms512m -Xmx512m" "$root/bin/gridgate" --demo > "$log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null http://127.0.0.1:8081/health/ready 2>/dev/null; then
    break
  fi
  sleep 0.5 # the node is starting; nothing to wait on but its readiness
done
curl -fsS -o /dev/null http://127.0.0.1:8081/health/ready || { echo "soak: the node did not become ready; see $log" >&2; exit 1; }

# Heap in use, a sawtooth while young collections run.
heap() {
  curl -fsS http://127.0.0.1:8081/metrics | awk '/^jvm_memory_used_bytes\{area="heap"\}/ {printf "%.0f", $2 / 1048576}'
}

# The live heap: a full collection first (jcmd, the JDK's own tool), then the heap in use. A leak raises it.
live_heap() {
  jcmd "$node" GC.run > /dev/null
  heap
}
live_before="$(live_heap)"
samples="$(mktemp)"
(
  while kill -0 "$node" 2>/dev/null; do
    echo "$(date +%s) $(heap)" >> "$samples"
    sleep 30 # one heap sample per 30 s of the run
  done
) &
sampler=$!
status=0
"$root/loadtest/load.sh" --url http://127.0.0.1:8080/demo/ --rate "$rate" --duration "$duration" --warmup 10s || status=$?
kill "$sampler" 2>/dev/null || true
echo "$(date +%s) $(heap)" >> "$samples"
live_after="$(live_heap)"
echo
echo "node heap used (MiB), every 30 s: $(awk '{print $2}' "$samples" | tr '\n' ' ')"
awk '{if ($2 > max) max = $2} END {printf "heap used: highest %d MiB of a fixed 512 MiB\n", max}' "$samples"
echo "live heap after a full collection: ${live_before} MiB before the load, ${live_after} MiB after it"
exit "$status"
