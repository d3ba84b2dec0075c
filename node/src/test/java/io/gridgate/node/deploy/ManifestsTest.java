package io.gridgate.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes manifests, the Dockerfile and the node agree with each other: selectors pick the
 * gateway pods, ports and probe paths are the ones the node serves, the config the pods run is
 * valid, and the timings leave room for a drain. The config is read by the node's own loader, under
 * the environment a pod would have.
 */
class ManifestsTest {

    private static final Path ROOT = Path.of("..");
    private static final String CONFIG_MAP = "gridgate-config";
    private static final String CONFIG_KEY = "gridgate.yaml";
    /** Sample values for the downward API: any namespace must work, not just "default". */
    private static final String POD_IP = "10.42.0.7";
    private static final String NAMESPACE = "shop";
    private static final Map<String, String> POD_FIELDS = Map.of(
            "status.podIP", POD_IP, "metadata.namespace", NAMESPACE, "metadata.name", "gridgate-0");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    private static Manifests manifests;
    private static GatewayPod pod;
    private static DockerfileStage image;
    private static TestGateway node;

    @BeforeAll
    static void load() {
        manifests = Manifests.load(ROOT.resolve("k8s"));
        pod = new GatewayPod(manifests.only("StatefulSet"));
        image = DockerfileStage.last(ROOT.resolve("Dockerfile"));
        node = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                accessLog: {enabled: false}
                """);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // --- Kubernetes ---------------------------------------------------------------------------

    @Test
    void kustomizationListsEveryManifestOnce() {
        List<String> listed = new ArrayList<>();
        manifests.kustomization().path("resources").forEach(r -> listed.add(r.asText()));

        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(manifests.resourceFiles());
    }

    @Test
    void everySelectorPicksTheGatewayPods() {
        Map<String, String> podLabels = strings(pod.labels());
        assertThat(podLabels).containsKey("app.kubernetes.io/name");
        List<JsonNode> selectors = new ArrayList<>();
        for (JsonNode object : manifests.objects()) {
            selectors.addAll(object.findValues("matchLabels")); // StatefulSet, PDB, NetworkPolicy, affinity
            if (object.path("kind").asText().equals("Service")) {
                selectors.add(object.at("/spec/selector"));
            }
        }
        assertThat(selectors).isNotEmpty();
        for (JsonNode selector : selectors) {
            assertThat(strings(selector)).as("selector %s", selector).containsKey("app.kubernetes.io/name");
            assertThat(podLabels).as("selector %s", selector).containsAllEntriesOf(strings(selector));
        }
        assertThat(manifests.only("PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void containerPortsAreTheListenersOfTheConfigThePodsRun() throws ConfigException {
        GatewayConfig config = deployedConfig();

        assertThat(pod.containerPort("http")).isEqualTo(config.server().port());
        assertThat(pod.containerPort("admin")).isEqualTo(config.admin().port());
        assertThat(pod.containerPort("hazelcast")).isEqualTo(config.cluster().port());
        assertThat(containerPorts()).hasSize(3);
    }

    @Test
    void everyServicePortTargetsAContainerPortAndOnlyTheHeadlessServiceTheMemberPort() throws ConfigException {
        GatewayConfig config = deployedConfig();
        for (JsonNode service : manifests.ofKind("Service")) {
            boolean headless = service.at("/spec/clusterIP").asText().equals("None");
            for (JsonNode port : service.at("/spec/ports")) {
                int target = pod.containerPort(port.path("targetPort"));
                assertThat(containerPorts()).as("%s targetPort", name(service)).contains(target);
                assertThat(target == config.cluster().port())
                        .as("%s: the member port is reached only through the headless Service", name(service))
                        .isEqualTo(headless);
            }
        }
        assertThat(pod.containerPort(manifests.named("Service", "gridgate").at("/spec/ports/0/targetPort")))
                .isEqualTo(config.server().port());
        assertThat(manifests.named("Service", "gridgate-admin").at("/spec/type").asText()).isEqualTo("ClusterIP");
    }

    @Test
    void networkPolicyOpensOnlyPortsThePodsListenOn() {
        Set<Integer> opened = new TreeSet<>();
        for (JsonNode rule : manifests.only("NetworkPolicy").at("/spec/ingress")) {
            rule.path("ports").forEach(port -> opened.add(pod.containerPort(port.path("port"))));
        }
        assertThat(opened).containsExactlyInAnyOrderElementsOf(containerPorts());
    }

    @Test
    void memberListensOnThePodIpAndTheProbedListenersOnEveryInterface() throws ConfigException {
        GatewayConfig config = deployedConfig();

        assertThat(config.cluster().bindAddress()).isEqualTo(POD_IP);
        assertThat(config.admin().bindAddress()).as("the kubelet probes the pod IP").isEqualTo("0.0.0.0");
        assertThat(config.server().bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void membersFindEachOtherThroughTheHeadlessServiceInThePodsNamespace() throws Exception {
        List<JsonNode> headless = manifests.ofKind("Service").stream()
                .filter(s -> s.at("/spec/clusterIP").asText().equals("None")).toList();
        assertThat(headless).hasSize(1);
        JsonNode members = headless.get(0);
        String name = name(members);
        GatewayConfig config = deployedConfig();

        assertThat(members.at("/spec/publishNotReadyAddresses").asBoolean())
                .as("members must find each other before they are ready").isTrue();
        assertThat(config.cluster().kubernetesServiceDns()).contains(name + "." + NAMESPACE + ".svc.cluster.local");
        assertThat(config.cluster().members()).isEmpty();
        JsonNode fileConfig = new ObjectMapper(new YAMLFactory()).readTree(configText());
        assertThat(fileConfig.at("/cluster/kubernetes/serviceDns").asText()).startsWith(name + ".");
        assertThat(pod.statefulSet().at("/spec/serviceName").asText()).isEqualTo(name);
        assertThat(pod.statefulSet().at("/spec/podManagementPolicy").asText())
                .as("pods start together rather than each waiting for the one before").isEqualTo("Parallel");
    }

    @Test
    void expectedMembersAreTheReplicasAndWaitLongerThanAPodTakesToStart() throws ConfigException {
        GatewayConfig config = deployedConfig();
        JsonNode startup = pod.container().path("startupProbe");
        Duration startupWindow = Duration.ofSeconds(startup.path("initialDelaySeconds").asLong()
                + startup.path("periodSeconds").asLong(10) * startup.path("failureThreshold").asLong(3));

        assertThat(config.cluster().expectedMembers()).isEqualTo(pod.statefulSet().at("/spec/replicas").asInt());
        assertThat(config.cluster().expectedMembersGrace())
                .as("a pod replaced by a rolling update rejoins before its peers report not ready")
                .isGreaterThan(startupWindow);
    }

    @Test
    void terminationOutlastsThePreStopSleepAndTheDrain() throws ConfigException {
        Duration drain = deployedConfig().server().drainTimeout();
        JsonNode preStop = pod.container().at("/lifecycle/preStop");
        long preStopSeconds;
        if (preStop.has("sleep")) {
            preStopSeconds = preStop.at("/sleep/seconds").asLong();
        } else {
            assertThat(preStop.at("/exec/command/0").asText()).isEqualTo("sleep");
            preStopSeconds = Long.parseLong(preStop.at("/exec/command/1").asText());
        }

        assertThat(pod.spec().path("terminationGracePeriodSeconds").asLong())
                .isGreaterThan(preStopSeconds + drain.toSeconds());
    }

    @Test
    void probesAskTheAdminPortForEndpointsTheNodeServes() throws ConfigException {
        int adminPort = deployedConfig().admin().port();
        List<String> endpoints = node.node().adminEndpoints();
        for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode probe = pod.container().path(kind).path("httpGet");
            String path = probe.path("path").asText();

            assertThat(pod.containerPort(probe.path("port"))).as(kind).isEqualTo(adminPort);
            assertThat(endpoints).as(kind).contains("GET " + path);
            assertAnswersOk(path);
        }
        assertThat(pod.container().at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(pod.container().at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    }

    @Test
    void tokensComeFromSecretKeysThatExist() throws ConfigException {
        GatewayConfig config = deployedConfig(); // reading each key fails when the Secret lacks it

        assertThat(config.admin().token()).isPresent();
        assertThat(config.admin().registrationToken()).isPresent();
    }

    @Test
    void placeholderTokensKeepANodeFromStarting() {
        Map<String, String> env = podEnv(manifests::secretValue);

        assertThatThrownBy(() -> ConfigLoader.parse(CONFIG_KEY, configText(), env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GRIDGATE_ADMIN_TOKEN")
                .hasMessageContaining("GRIDGATE_REGISTRATION_TOKEN")
                .hasMessageNotContaining("replace me");
    }

    @Test
    void sharedConfigurationIsKeptOnEachPodsVolumeClaim() {
        String dataDirInPod = pod.env(image.env(), POD_FIELDS, validTokens()).get("GRIDGATE_DATA_DIR");
        List<String> claims = new ArrayList<>();
        pod.statefulSet().at("/spec/volumeClaimTemplates").forEach(c -> claims.add(c.at("/metadata/name").asText()));

        assertThat(pod.volumeMountedAt(dataDirInPod)).hasValueSatisfying(volume -> assertThat(claims).contains(volume));
        assertThat(image.env()).containsEntry("GRIDGATE_DATA_DIR", dataDirInPod);
        assertThat(image.all("VOLUME")).contains(dataDirInPod);
    }

    @Test
    void configMapIsMountedWhereTheNodeReadsItsConfig() {
        List<String> args = new ArrayList<>();
        pod.container().path("args").forEach(a -> args.add(a.asText()));
        List<String> command = args.isEmpty() ? image.execForm("CMD") : args;
        String file = command.get(command.indexOf("--config") + 1);
        Path path = Path.of(file);
        String mountPath = path.getParent().toString();

        assertThat(image.execForm("CMD")).containsSequence("--config", file);
        assertThat(pod.volumeMountedAt(mountPath)).hasValueSatisfying(volume ->
                assertThat(pod.volume(volume).at("/configMap/name").asText()).isEqualTo(CONFIG_MAP));
        assertThat(path.getFileName().toString()).isEqualTo(CONFIG_KEY);
        manifests.configMapValue(CONFIG_MAP, CONFIG_KEY);
    }

    @Test
    void podRunsAsTheImagesUnprivilegedUserOnAReadOnlyRoot() {
        JsonNode podSecurity = pod.spec().path("securityContext");
        JsonNode containerSecurity = pod.container().path("securityContext");

        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asLong()).isEqualTo(imageUid()).isNotZero();
        assertThat(containerSecurity.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(containerSecurity.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(pod.volumeMountedAt("/tmp")).as("the JVM writes to /tmp")
                .hasValueSatisfying(volume -> assertThat(pod.volume(volume).has("emptyDir")).isTrue());
    }

    @Test
    void noServiceLinkVariablesReachTheNode() {
        // Kubernetes would set GRIDGATE_PORT=tcp://... for the Service "gridgate": an override the node rejects.
        assertThat(pod.spec().path("enableServiceLinks").asBoolean(true)).isFalse();
        assertThat(pod.spec().path("automountServiceAccountToken").asBoolean(true))
                .as("DNS discovery needs no API access").isFalse();
    }

    // --- Dockerfile ---------------------------------------------------------------------------

    @Test
    void imageExposesThePortsThePodsDeclareAndItsOwnConfigUses() throws ConfigException {
        GatewayConfig config = imageConfig();

        assertThat(image.exposedPorts()).containsExactlyInAnyOrderElementsOf(containerPorts())
                .containsExactlyInAnyOrder(config.server().port(), config.admin().port(), config.cluster().port());
        assertThat(config.admin().bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void imageRunsAsANumericNonRootUser() {
        assertThat(imageUid()).as("numeric, so runAsNonRoot can check it").isNotZero();
    }

    @Test
    void healthCheckFailsUnlessTheAdminPortAnswersReady() throws ConfigException {
        String command = image.healthCheckCommand();
        List<String> words = List.of(DockerfileStage.expand(command, image.env()).replace("\"", "").split("\\s+"));
        URI url = URI.create(words.stream().filter(w -> w.startsWith("http://")).findFirst().orElseThrow());

        assertThat(words.get(0)).isEqualTo("curl");
        assertThat(words).as("curl -f: an HTTP error status fails the check")
                .anyMatch(w -> w.equals("--fail") || w.matches("-[a-zA-Z]*f[a-zA-Z]*"));
        assertThat(url.getPort()).isEqualTo(imageConfig().admin().port());
        assertThat(url.getPath()).isEqualTo(pod.container().at("/readinessProbe/httpGet/path").asText());
        assertThat(node.node().adminEndpoints()).contains("GET " + url.getPath());
    }

    @Test
    void entrypointCarriesTheLaunchersJvmFlagsAndRunsTheCopiedJar() throws IOException {
        List<String> entrypoint = image.execForm("ENTRYPOINT");
        List<String> launcherFlags = launcherFlags();
        String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);

        assertThat(launcherFlags).contains("--add-opens", "--add-exports", "--add-modules");
        assertThat(Collections.indexOfSubList(entrypoint, launcherFlags)).as("the flags of bin/gridgate").isNotNegative();
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75");
        assertThat(image.all("COPY")).anyMatch(copy -> copy.startsWith("--from=") && copy.endsWith(" " + jar));
    }

    // --- helpers ------------------------------------------------------------------------------

    private static void assertAnswersOk(String path) {
        HttpRequest request = HttpRequest.newBuilder(node.adminUri(path)).build();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
                        .as(path).isEqualTo(200));
    }

    /** The config a pod runs, with valid tokens in place of the Secret's placeholders. */
    private static GatewayConfig deployedConfig() throws ConfigException {
        return ConfigLoader.parse(CONFIG_KEY, configText(), podEnv(validTokens()));
    }

    /** The image's own config, under the image's environment. */
    private static GatewayConfig imageConfig() throws ConfigException {
        String text = read(ROOT.resolve("docker").resolve(CONFIG_KEY));
        return ConfigLoader.parse(CONFIG_KEY, text, withLocalDataDir(new HashMap<>(image.env())));
    }

    private static String configText() {
        return manifests.configMapValue(CONFIG_MAP, CONFIG_KEY);
    }

    /** Each Secret key the pod reads must exist; its value is replaced by a token the node accepts. */
    private static BiFunction<String, String, String> validTokens() {
        return (secret, key) -> {
            manifests.secretValue(secret, key);
            return "valid-" + key + "-0123456789";
        };
    }

    private static Map<String, String> podEnv(BiFunction<String, String, String> secrets) {
        return withLocalDataDir(pod.env(image.env(), POD_FIELDS, secrets));
    }

    /** The data directory the pod names exists only in the pod; the loader creates the one it is given. */
    private static Map<String, String> withLocalDataDir(Map<String, String> env) {
        if (env.containsKey("GRIDGATE_DATA_DIR")) {
            env.put("GRIDGATE_DATA_DIR", dataDir.toString());
        }
        return env;
    }

    private static Set<Integer> containerPorts() {
        Set<Integer> ports = new TreeSet<>();
        pod.container().path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        return ports;
    }

    private static long imageUid() {
        String user = image.last("USER").split(":")[0];
        assertThat(user).as("USER").matches("[0-9]+");
        return Long.parseLong(user);
    }

    /** The words of the {@code flags=( ... )} array in bin/gridgate. */
    private static List<String> launcherFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(ROOT.resolve("bin").resolve("gridgate"))) {
            String trimmed = line.strip();
            if (trimmed.equals("flags=(")) {
                inside = true;
            } else if (inside && trimmed.equals(")")) {
                return flags;
            } else if (inside) {
                flags.addAll(List.of(trimmed.split("\\s+")));
            }
        }
        throw new AssertionError("bin/gridgate has no flags=( ... ) array");
    }

    private static Map<String, String> strings(JsonNode mapping) {
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
