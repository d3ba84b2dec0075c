# syntax=docker/dockerfile:1
# A Gridgate node: built from source with the Maven wrapper, run on a JRE as an unprivileged user.
#   docker build -t gridgate:0.1.0 .
#   docker run --rm -p 8080:8080 -p 8081:8081 \
#     -v "$PWD/gridgate.yaml:/etc/gridgate/gridgate.yaml:ro" gridgate:0.1.0
# The config is the mounted file; GRIDGATE_* variables override the per-node settings (README,
# "Environment overrides"); JAVA_TOOL_OPTIONS adds JVM flags.

FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /src
COPY . .
# The cache mount keeps Maven and the dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests -pl node -am package

FROM eclipse-temurin:17-jre-noble
# The Temurin Ubuntu images ship curl, which the health check below uses: nothing to install.
RUN groupadd --system --gid 10001 gridgate \
 && useradd --system --uid 10001 --gid gridgate --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin gridgate \
 && mkdir -p /etc/gridgate /var/lib/gridgate \
 && chown gridgate:gridgate /var/lib/gridgate
COPY --from=build /src/node/target/gridgate.jar /opt/gridgate/gridgate.jar
COPY docker/gridgate.yaml /etc/gridgate/gridgate.yaml
# cluster.dataDir: each version of the shared configuration, so a restart of every node loses no change.
ENV GRIDGATE_DATA_DIR=/var/lib/gridgate
VOLUME /var/lib/gridgate
USER 10001:10001
# 8080 traffic, 8081 admin (probes, heartbeats, admin API), 5701 cluster members (private network only).
EXPOSE 8080 8081 5701
# -f: a 503 from a node that is starting, draining or cut off from its cluster fails the check.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${GRIDGATE_ADMIN_PORT:-8081}/health/ready" || exit 1
# The flags of bin/gridgate (Hazelcast reflects into these JDK internals), a heap sized from the
# container's memory limit, and an exit rather than a limp on OutOfMemoryError. The JVM is PID 1 and
# handles SIGTERM itself: it drains, leaves the cluster and exits 0.
ENTRYPOINT ["java", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-Dhazelcast.phone.home.enabled=false", \
  "-XX:MaxRAMPercentage=75", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-jar", "/opt/gridgate/gridgate.jar"]
CMD ["--config", "/etc/gridgate/gridgate.yaml"]
