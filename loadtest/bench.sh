#!/usr/bin/env bash
# Direct vs nginx vs Gridgate on loopback, with one generator and one backend; see loadtest/README.md.
# Usage (from anywhere): loadtest/bench.sh [ProxyBenchmark flags, e.g. --targets direct,nginx --rounds 5]
# SKIP_BUILD=1 reuses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx" >&2
  apt-get update -qq
  apt-get install -y -qq nginx >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # The whole project, so node/target/gridgate.jar is current. If another module does not build right now, the
  # benchmark can still compare direct and nginx.
  if ! ./mvnw -q -B -DskipTests package; then
    echo "full build failed; building only the loadtest module (the Gridgate jar may be missing or stale)" >&2
    ./mvnw -q -B -pl loadtest -am -DskipTests package
  fi
fi

args=("$@")
if [[ " $* " != *" --targets "* ]] && [ ! -f node/target/gridgate.jar ]; then
  echo "node/target/gridgate.jar not found: measuring direct and nginx only" >&2
  args=(--targets direct,nginx "${args[@]}")
fi

# Pinning: this JVM hosts the generator and the backend, so it runs on CPU 0; ProxyBenchmark starts each proxy
# under `taskset -c 1`. Children inherit CPU 0 from here, which is why the proxies are re-pinned explicitly.
pin=(taskset -c 0)
if ! command -v taskset >/dev/null 2>&1 || [ "$(nproc --all)" -lt 2 ]; then
  echo "taskset missing or fewer than 2 CPUs: running unpinned" >&2
  pin=()
  args=(--no-pin "${args[@]}")
fi

# Fixed heap, pre-touched, with a large young generation: the backend allocates per request, and fewer young
# collections mean fewer pauses landing in the latency runs of whichever target happens to be measured.
exec "${pin[@]}" java -Xms1g -Xmx1g -Xmn768m -XX:+AlwaysPreTouch -XX:+UseSerialGC \
  -cp loadtest/target/loadtest.jar io.gridgate.loadtest.ProxyBenchmark --nginx "$NGINX" "${args[@]}"
