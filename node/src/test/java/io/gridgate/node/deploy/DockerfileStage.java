package io.gridgate.node.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last stage of a Dockerfile (the image that runs), read the way {@code docker build} reads
 * the forms our Dockerfile uses: comments dropped, continued lines joined, one instruction a line.
 */
final class DockerfileStage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** An instruction: its upper-case keyword and the rest of its line. */
    record Instruction(String keyword, String arguments) {
    }

    private final List<Instruction> instructions;

    private DockerfileStage(List<Instruction> instructions) {
        this.instructions = List.copyOf(instructions);
    }

    static DockerfileStage last(Path dockerfile) {
        List<Instruction> stage = new ArrayList<>();
        for (String line : logicalLines(dockerfile)) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                stage.clear();
            }
            stage.add(instruction);
        }
        return new DockerfileStage(stage);
    }

    private static List<String> logicalLines(Path dockerfile) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String raw : Files.readAllLines(dockerfile)) {
                String line = raw.strip();
                if (line.startsWith("#") || line.isEmpty()) {
                    continue; // docker build drops comment lines inside a continuation too
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                lines.add(current.append(line).toString().strip());
                current.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The arguments of every instruction with this keyword, in order. */
    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The arguments of the last instruction with this keyword, the one in force. */
    String last(String keyword) {
        List<String> all = all(keyword);
        if (all.isEmpty()) {
            throw new AssertionError("the runtime stage has no " + keyword);
        }
        return all.get(all.size() - 1);
    }

    /** An instruction in exec form: its JSON array. */
    List<String> execForm(String keyword) {
        try {
            return JSON.readValue(last(keyword), new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new AssertionError(keyword + " is not in exec form (a JSON array): " + last(keyword), e);
        }
    }

    /** The image's environment, from {@code ENV KEY=VALUE ...} (values without spaces or quotes). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : all("ENV")) {
            for (String pair : arguments.split("\\s+")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new AssertionError("ENV " + arguments + ": expected KEY=VALUE pairs");
                }
                env.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return env;
    }

    /** The ports of every {@code EXPOSE}, without their {@code /tcp}. */
    Set<Integer> exposedPorts() {
        Set<Integer> ports = new TreeSet<>();
        for (String arguments : all("EXPOSE")) {
            for (String port : arguments.split("\\s+")) {
                ports.add(Integer.parseInt(port.replaceFirst("/tcp$", "")));
            }
        }
        return ports;
    }

    /** The command of {@code HEALTHCHECK [OPTIONS] CMD command}, in shell form. */
    String healthCheckCommand() {
        String arguments = last("HEALTHCHECK");
        int cmd = arguments.indexOf("CMD ");
        if (cmd < 0) {
            throw new AssertionError("HEALTHCHECK without CMD: " + arguments);
        }
        return arguments.substring(cmd + "CMD ".length()).strip();
    }

    /** The shell's {@code ${NAME}} and {@code ${NAME:-default}}, from {@code env}. */
    static String expand(String text, Map<String, String> env) {
        Matcher matcher = VARIABLE.matcher(text);
        return matcher.replaceAll(m -> {
            String value = env.get(m.group(1));
            String fallback = m.group(2) == null ? "" : m.group(2);
            return Matcher.quoteReplacement(value == null || value.isEmpty() ? fallback : value);
        });
    }
}
