package io.gridgate.node.config;

import io.gridgate.node.config.Problems.Where;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the gateway's YAML configuration into a validated {@link GatewayConfig}, with environment
 * overrides applied. The file and the admin API go through {@link #parse}, so a posted config fails
 * with exactly the messages the same file would.
 *
 * <p>Variables that override settings: {@code GRIDGATE_BIND_ADDRESS}, {@code GRIDGATE_PORT},
 * {@code GRIDGATE_TLS_PORT}, {@code GRIDGATE_TLS_KEYSTORE_PASSWORD}, {@code GRIDGATE_ADMIN_BIND_ADDRESS},
 * {@code GRIDGATE_ADMIN_PORT}, {@code GRIDGATE_CLUSTER_NAME}, {@code GRIDGATE_CLUSTER_BIND_ADDRESS},
 * {@code GRIDGATE_CLUSTER_PORT}, {@code GRIDGATE_CLUSTER_MEMBERS} (comma-separated),
 * {@code GRIDGATE_KUBERNETES_SERVICE_DNS}, and {@code GRIDGATE_IP_ALLOW} and {@code GRIDGATE_IP_DENY}
 * (comma-separated CIDR ranges, replacing {@code server.ipRules.allow} and {@code deny}). Values are
 * stripped of surrounding whitespace (secrets mounted from files end in a newline), and a blank
 * variable counts as unset.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Reads and validates a UTF-8 file; errors name it by its file name.
     *
     * @param env the environment, usually {@code System.getenv()}
     * @throws ConfigException listing every problem, or the single reason the file cannot be read
     */
    public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
        return parse(sourceName(file), readText(file), env);
    }

    /** The shared sections of a file that {@link #load} accepted, to seed the cluster's configuration. */
    public static ConfigSeed seed(Path file) throws ConfigException {
        return ConfigSeed.of(sourceName(file), readText(file));
    }

    private static String sourceName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    private static String readText(Path file) throws ConfigException {
        String source = sourceName(file);
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw unreadable(source, "expected: UTF-8 text");
        } catch (IOException | SecurityException e) {
            // A FileSystemException's message repeats the path; only its reason says anything new.
            String detail = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
            throw unreadable(source, e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail));
        }
    }

    /**
     * Validates YAML text, such as a config posted to the admin API.
     *
     * @param sourceName what errors call the text, in place of a file name
     * @throws ConfigException listing every problem, in line order
     */
    public static GatewayConfig parse(String sourceName, String yamlText, Map<String, String> env)
            throws ConfigException {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(env, "env");
        Problems problems = new Problems(sourceName);
        Optional<YamlNode> root = YamlTree.parse(yamlText, problems);
        if (root.isEmpty() && !problems.isEmpty()) {
            throw new ConfigException(problems.sorted()); // not YAML: there is nothing to validate
        }
        GatewayConfig config = GatewayReader.read(new Reading(problems, env), root.orElse(null));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return config;
    }

    /**
     * Validates a document of the sections the cluster shares ({@code services}, {@code policies},
     * {@code routes}, {@code auth}), such as a config posted to the admin API or a version from the
     * grid, and puts them in place of {@code local}'s: the result is what the node runs. A node-local
     * section in the document is an error, since each node sets those in its own file.
     *
     * @param sourceName what errors call the text
     * @throws ConfigException listing every problem, with the text's own lines
     */
    public static GatewayConfig parseShared(String sourceName, String yamlText, GatewayConfig local,
                                            Map<String, String> env) throws ConfigException {
        Objects.requireNonNull(local, "local");
        Problems problems = new Problems(sourceName);
        Optional<YamlNode> root = YamlTree.parse(yamlText, problems);
        if (root.isEmpty() && !problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        if (root.isPresent() && root.get() instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries()) {
                if (!SharedDocument.SECTIONS.contains(entry.key()) && GatewayReader.SECTIONS.contains(entry.key())) {
                    problems.reject(problems.at(entry.line(), entry.column(), "/" + entry.key()), entry.key(),
                            "only " + String.join(", ", SharedDocument.SECTIONS)
                                    + ", which the cluster shares; each node sets " + entry.key() + " in its own file");
                }
            }
        }
        GatewayConfig shared = GatewayReader.read(new Reading(problems, env), root.orElse(null));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return local.withShared(shared);
    }

    private static ConfigException unreadable(String source, String reason) {
        return new ConfigException(List.of(new Where(source, 0, 0, "").error("cannot read (" + reason + ")", "")));
    }
}
