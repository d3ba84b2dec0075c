package io.gridgate.node.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The dashboard in a real browser: headless Chromium loads the page from a running node, runs its
 * script for ten seconds of virtual time (several polls, the cluster changing between them) and
 * prints the DOM it ended with. Without
 * Chromium the test fails and says how to install it; {@code GRIDGATE_SKIP_BROWSER_TESTS=1} skips it.
 */
class DashboardBrowserTest {

    private static final String SKIP = "GRIDGATE_SKIP_BROWSER_TESTS";
    private static final long BROWSER_TIMEOUT_SECONDS = 60;

    private static Path chromium;
    private static DashboardCluster dashboard;

    @TempDir
    Path profile;

    @BeforeAll
    static void start() {
        if (skipped()) {
            return;
        }
        chromium = findChromium().orElseGet(() -> fail("headless Chromium is needed for the dashboard test and"
                + " was not found on the PATH: run `apt-get install -y chromium` (or set " + SKIP + "=1 to skip)"));
        dashboard = new DashboardCluster();
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    /** Skipped test by test rather than as a class, so the report lists each test with the reason. */
    @BeforeEach
    void unlessSkipped() {
        Assumptions.assumeFalse(skipped(), SKIP + "=1: the browser tests are skipped");
    }

    private static boolean skipped() {
        return "1".equals(System.getenv(SKIP));
    }

    /*
     * The page loads with orders-1 alone; then, each step between two of its polls: traffic and
     * orders-2 registered through the other node, orders-2 ejected, more traffic. One load, no reload:
     * what the final DOM shows of orders-2 and of the rate came from the page's own refreshes.
     */
    @Test
    void showsAnInstanceRegisteredThroughTheOtherNodeAfterItLoadedThenItsEjectionAndTheRouteRate() throws Exception {
        try (PollGate gate = new PollGate(dashboard.cluster().node(0).adminPort(), poll -> {
            switch (poll) {
                case 1 -> { }
                case 2 -> {
                    dashboard.sendOrders(20);
                    dashboard.registerSecondThroughNode1();
                }
                case 3 -> {
                    dashboard.ejectSecondThroughNode1();
                    dashboard.sendOrders(20);
                }
                default -> dashboard.sendOrders(10);
            }
        })) {
            String dom = render(gate.port(), "#token=" + DashboardCluster.ADMIN_TOKEN);

            assertThat(gate.failures()).isEmpty();
            assertThat(gate.answers()).as("polls the page made").hasSizeGreaterThanOrEqualTo(4);
            assertThat(gate.answers().get(0)).as("what the page first showed").contains("\"orders-1\"")
                    .doesNotContain("orders-2");
            assertThat(dom).contains("id=\"members-count\" data-count=\"2\"",
                    "<li data-member-id=\"" + dashboard.memberId(0) + "\" data-local=\"true\"",
                    "<li data-member-id=\"" + dashboard.memberId(1) + "\" data-local=\"false\"",
                    "(this node)");
            assertThat(dom).containsPattern("<p id=\"error\" role=\"alert\" hidden=\"\">\\s*</p>");
            String route = block(dom, "<tr data-route-id=\"orders\">", "</tr>");
            assertThat(route).contains(">GET<", "/orders (prefix)", "service:orders");
            Matcher rate = Pattern.compile("data-rate=\"(\\d+\\.\\d{3})\"").matcher(route);
            assertThat(rate.find()).as("a rate in %s", route).isTrue();
            assertThat(Double.parseDouble(rate.group(1))).as("requests per second on orders").isPositive();
            String service = block(dom, "<div class=\"service\" data-service=\"orders\">", "</div>");
            assertThat(service).contains("data-healthy=\"1\" data-total=\"2\"", "1 of 2 healthy");
            assertThat(block(service, "data-instance-id=\"orders-1\"", "</tr>"))
                    .contains("data-state=\"healthy\"", ">healthy<", "http://127.0.0.1:");
            assertThat(block(service, "data-instance-id=\"orders-2\"", "</tr>"))
                    .contains("data-state=\"ejected\"", ">ejected<", "http://10.0.0.8:9000", "eu-1b");
            assertThat(block(dom, "data-breaker=\"orders\"", "</tr>")).contains("data-state=\"CLOSED\"");
            assertThat(dom).containsPattern("id=\"refreshed\" data-time=\"[0-9T:.Z-]+\">Last refresh: ");
        }
    }

    @Test
    void aWrongTokenShowsTheErrorLineAndNoData() throws Exception {
        String dom = render(dashboard.cluster().node(0).adminPort(), "#token=not-the-admin-token-at-all");

        assertThat(block(dom, "<p id=\"error\"", "</p>"))
                .contains("data-kind=\"unauthorized\"", "The admin token was refused (401 Unauthorized)")
                .doesNotContain("hidden");
        assertThat(dom).doesNotContain("data-instance-id", "data-route-id", "Last refresh:");
    }

    /**
     * The DOM after the page at {@code port} has run; the fragment carries the token, as an operator's
     * link would.
     */
    private String render(int port, String fragment) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:" + port + "/dashboard" + fragment;
        Path out = profile.resolve("dom.html");
        Path err = profile.resolve("chromium.log");
        Process browser = new ProcessBuilder(List.of(chromium.toString(),
                "--headless",
                // The page is this test's own; containers, and root, lack what the sandbox needs.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--user-data-dir=" + profile.resolve("profile"),
                "--virtual-time-budget=10000",
                "--dump-dom",
                url))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!browser.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("Chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + " s; its log:\n" + tail(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(browser.exitValue()).as("Chromium's exit status; its log:\n%s", tail(err)).isZero();
        assertThat(dom).as("the DOM Chromium printed; its log:\n%s", tail(err)).contains("<h1>Gridgate</h1>");
        return dom;
    }

    /** From the first {@code start} to the first {@code end} after it, both included. */
    private static String block(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s in:\n%s", start, text).isNotNegative();
        int to = text.indexOf(end, from);
        assertThat(to).as("%s after %s in:\n%s", end, start, text).isNotNegative();
        return text.substring(from, to + end.length());
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Debian's {@code chromium}, or Ubuntu's and others' {@code chromium-browser}, from the PATH. */
    private static Optional<Path> findChromium() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of("chromium", "chromium-browser")
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
