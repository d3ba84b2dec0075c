#!/usr/bin/env bash
# Direct vs nginx vs Gridgate on loopback, with one generator and one backend; see loadtest/README.md.
# Usage (from anywhere): loadtest/bench.sh [ProxyBenchmark flags, e.g. --targets direct,nginx --rounds 5]
#        loadtest/bench.sh --scenario ratelimit [--lease-size 100 --rounds 5]   Gridgate without, with leased and
#                                                                               with exact rate limits
#        loadtest/bench.sh --scenario cache [--rounds 5]   direct, nginx, Gridgate plain and Gridgate cache hits
#        loadtest/bench.sh --scenario observability [--access-log file|stdout|off --sampler-ratio 0.1 --rounds 5]
#                                                   a Gridgate node without, and one with tracing (100 %, or the
#                                                   ratio) and access log
#        loadtest/bench.sh --scenario compose [--rate 200 --upstream-delay 20ms]   latency of the slowest of three
#                                                   upstreams directly, through a node, and composed with the others
#        loadtest/bench.sh --scenario plugins [--limit-mode exact|leased --rounds 5]   a plain Gridgate node, and one
#                                                   with JWT auth, a cluster rate limit and tracing (100 %)
#        loadtest/bench.sh --scenario nodes [--limit-mode exact|leased --pinning split]   one Gridgate node, and a
#                                                   cluster of three with the load round-robin over them
# SKIP_BUILD=1 reuses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=proxy
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --scenario ]; then
    j=$((i + 1))
    scenario="${!j:-}"
  fi
done

nginx_args=()
if [ "$scenario" = proxy ] || [ "$scenario" = cache ]; then # the rate-limit scenario starts no nginx
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "installing nginx" >&2
    apt-get update -qq
    apt-get install -y -qq nginx >/dev/null
  fi
  nginx_args=(--nginx "$(command -v nginx || echo /usr/sbin/nginx)")
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # The whole project, so node/target/gridgate.jar is current. If another module does not build right now, the
  # benchmark can still compare direct and nginx.
  if ! ./mvnw -q -B -DskipTests package; then
    echo "full build failed; building only the loadtest module (the Gridgate jar may be missing or stale)" >&2
    ./mvnw -q -B -pl loadtest -am -DskipTests package
  fi
fi

args=("$@")
if [ "$scenario" = proxy ] && [[ " $* " != *" --targets "* ]] && [ ! -f node/target/gridgate.jar ]; then
  echo "node/target/gridgate.jar not found: measuring direct and nginx only" >&2
  args=(--targets direct,nginx "${args[@]}")
fi

# Pinning (see README "Why one CPU"): this JVM hosts the generator and the backend. By default (--pinning one-cpu)
# it runs on one CPU, --cpu (1 unless given), and ProxyBenchmark starts nginx and the Gridgate nodes (all of them, in
# the nodes scenario) on that same CPU; with --pinning split this JVM runs on CPU 0 and each proxy on CPU 1. ProxyBenchmark checks the JVM's CPU mask and
# refuses to run if it does not match.
mode=one-cpu
cpu=
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --pinning) mode="${args[i + 1]:-}" ;;
    --cpu) cpu="${args[i + 1]:-}" ;;
  esac
done
cpus="$(nproc --all)"
pin=()
if [ "$mode" != none ] && ! command -v taskset >/dev/null 2>&1; then
  echo "taskset (util-linux) not found: install it, or pass --pinning none to measure unpinned" >&2
  exit 2
fi
case "$mode" in
  one-cpu)
    if [ -z "$cpu" ]; then
      cpu=1
      if [ "$cpus" -lt 2 ]; then
        cpu=0 # a one-CPU machine: that CPU is all there is
      fi
      args=(--cpu "$cpu" "${args[@]}")
    fi
    if ! [[ "$cpu" =~ ^[0-9]+$ ]] || [ "$cpu" -ge "$cpus" ]; then
      echo "--cpu: $cpu (expected: a CPU of this machine, 0 to $((cpus - 1)))" >&2
      exit 2
    fi
    pin=(taskset -c "$cpu")
    ;;
  split)
    if [ "$cpus" -lt 2 ]; then
      echo "--pinning split needs 2 CPUs; this machine has $cpus" >&2
      exit 2
    fi
    pin=(taskset -c 0)
    ;;
esac

# Fixed heap, pre-touched, with a large young generation: the backend allocates per request, and fewer young
# collections mean fewer pauses landing in the latency runs of whichever target happens to be measured. The serial
# collector, as for the node: on one CPU, GC threads beyond the one doing the work would only compete with the load.
exec "${pin[@]}" java -Xms1g -Xmx1g -Xmn768m -XX:+AlwaysPreTouch -XX:+UseSerialGC \
  -cp loadtest/target/loadtest.jar io.gridgate.loadtest.ProxyBenchmark "${nginx_args[@]}" "${args[@]}"
