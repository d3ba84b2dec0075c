#!/usr/bin/env bash
# What OpenTelemetry's SDK alone costs per traced request (two spans built, ended and marshaled), on
# CPU 1 as the benchmarks run: the floor under the observability scenario's figure.
#   loadtest/span-cost.sh          (SKIP_BUILD=1 reuses the jars already built)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -q -B -DskipTests package
fi
pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then
  pin=(taskset -c 1)
fi
exec "${pin[@]}" java -cp loadtest/target/loadtest.jar:node/target/gridgate.jar io.gridgate.loadtest.SpanCost
