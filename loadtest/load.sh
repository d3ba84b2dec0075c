#!/usr/bin/env bash
# Command-line load generator; see loadtest/README.md, "Command-line load generator", or --help.
# Usage (from anywhere): loadtest/load.sh --url http://127.0.0.1:8080/ --rate 500 [--duration 30s --warmup 5s ...]
#        loadtest/load.sh --url http://n1:8080/api,http://n2:8080/api --closed-loop --connections 64
# Builds loadtest/target/loadtest.jar if it is missing (REBUILD=1 builds it again). Relative paths in the flags
# (--body-file, --report-dir) are read from the current directory; the report directory defaults to
# loadtest/results in this repository. LOAD_JAVA_OPTS adds JVM flags.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/loadtest/target/loadtest.jar"

if [ ! -f "$jar" ] || [ "${REBUILD:-0}" = 1 ]; then
  echo "building $jar" >&2
  (cd "$root" && ./mvnw -q -B -pl loadtest -am -DskipTests package)
fi

args=("$@")
report_dir_given=0
for arg in "$@"; do
  case "$arg" in
    --report-dir | --report-dir=*) report_dir_given=1 ;;
  esac
done
if [ "$report_dir_given" = 0 ]; then
  args=(--report-dir "$root/loadtest/results" "${args[@]}")
fi

tty=false
if [ -t 2 ]; then
  tty=true
fi

# shellcheck disable=SC2086 # LOAD_JAVA_OPTS is a list of flags
exec java ${LOAD_JAVA_OPTS:-} -Dgridgate.load.stderrTty="$tty" -cp "$jar" io.gridgate.loadtest.LoadCli "${args[@]}"
