package io.gridgate.node.config;

import io.gridgate.node.config.LoadBalancerConfig.HashOn;
import io.gridgate.node.config.LoadBalancerConfig.Strategy;
import io.gridgate.node.config.RouteConfig.HostHeader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code routes}: each route's keys, and the checks that span several of them. */
final class RouteReader {

    static final String ROUTE_ID = "a route id matching [a-z0-9][a-z0-9._-]{0,63}";

    private static final String[] ROUTE_KEYS = {"id", "match", "upstream", "versions", "rewrite", "hostHeader",
        "forwarded", "timeouts", "pool", "loadBalancer", "rateLimits", "concurrency",
        "deprecation", "retry", "fallback", "auth", "ipRules", "maxBodyBytes", "cors", "responseHeaders", "cache",
        "compose", "clients"};
    private static final TimeoutsConfig DEFAULT_TIMEOUTS =
            new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60));
    private static final PoolConfig DEFAULT_POOL = new PoolConfig(32, 128, Duration.ofSeconds(60));

    private RouteReader() {
    }

    /**
     * @param issuerIds the ids of {@code auth.jwt}, which a route's {@code auth.methods} may name
     * @param named the policies of {@code policies}, which a route may use by name
     */
    static List<RouteConfig> readAll(Section top, List<String> issuerIds, NamedPolicies named) {
        List<YamlNode> items = top.sequence("routes", "a sequence of routes");
        List<RouteConfig> routes = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        List<FallbackReader.Target> fallbackTargets = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section route = top.reading().section(items.get(i), top.pathOf("routes") + "/" + i, ROUTE_KEYS);
            routes.add(read(route, idLines, fallbackTargets, issuerIds, named));
        }
        FallbackReader.checkTargets(fallbackTargets, idLines.keySet());
        return routes;
    }

    private static RouteConfig read(Section s, Map<String, Integer> idLines,
                                    List<FallbackReader.Target> fallbackTargets, List<String> issuerIds,
                                    NamedPolicies named) {
        String id = Optional.ofNullable(id(s, idLines)).orElse("");
        Section matchSection = s.child("match", MatchReader.KEYS);
        MatchConfig match = MatchReader.read(matchSection);
        Optional<String> upstream = s.optional("upstream", Addresses.upstreamUrl());
        Section versionsSection = s.child("versions", VersionsReader.KEYS);
        Optional<VersionsConfig> versions = versionsSection.present()
                ? Optional.ofNullable(VersionsReader.read(versionsSection)) : Optional.empty();
        if (!s.has("upstream") && !s.has("versions") && !s.has("compose")) {
            s.missing("upstream", "an upstream URL, or versions, or compose");
        }
        s.exclusive("upstream", "versions", "compose");
        Optional<ComposeConfig> compose = ComposeReader.read(s.child("compose", ComposeReader.KEYS),
                matchSection.failed("path") ? List.of()
                        : match.path().map(p -> PathTemplates.variables(p).value()).orElse(List.of()));
        Section timeoutsSection = s.child("timeouts", "connect", "responseHeader", "total");
        TimeoutsConfig timeouts = timeouts(timeoutsSection);
        Optional<RouteAuthConfig> auth = RouteAuthReader.readRoute(s, issuerIds, named);
        return new RouteConfig(
                id,
                match,
                upstream,
                versions,
                rewrite(s.child("rewrite", "stripPrefix", "path"), matchSection, match),
                s.get("hostHeader", ValueTypes.word(HostHeader.class), HostHeader.PRESERVE),
                s.get("forwarded", ValueTypes.bool(), false),
                timeouts,
                pool(s.child("pool", "maxConnections", "maxQueue", "idleTimeout")),
                loadBalancer(s.child("loadBalancer", "strategy", "hashOn", "zoneAware")),
                RateLimitReader.read(s, named),
                RateLimitReader.concurrency(s),
                deprecation(s.child("deprecation", "since", "sunset", "link")),
                RetryReader.read(s.child("retry", RetryReader.KEYS),
                        timeoutsSection.failed("total") ? Optional.empty() : Optional.of(timeouts.total())),
                FallbackReader.read(s.child("fallback", FallbackReader.KEYS), id, fallbackTargets),
                auth,
                IpRulesReader.readRoute(s.child("ipRules", IpRulesReader.KEYS)),
                s.optional("maxBodyBytes", LimitsReader.bodySize()),
                CorsReader.read(s.child("cors", CorsReader.KEYS), match.methods()),
                ResponseHeadersReader.readRoute(s.child("responseHeaders", ResponseHeadersReader.KEYS)),
                CacheReader.read(s.child("cache", CacheReader.KEYS), s.has("auth")),
                compose,
                clients(s, compose.isPresent()));
    }

    private static List<ClientConfig> clients(Section s, boolean composite) {
        List<ClientConfig> clients = ClientsReader.read(s, composite);
        boolean conditional = clients.stream().anyMatch(c -> c.when().isPresent());
        if (conditional && s.has("cache")) {
            s.value("cache").ifPresent(node -> s.reading().problems().reject(node, s.pathOf("cache"),
                    "no cache on a route whose clients differ by header or claim (one answer per client would share"
                            + " one cache entry): give each client a route of its own, by path"));
        }
        return clients;
    }

    /** The route's id, or {@code null} when missing or invalid; {@code idLines} collects the valid ones. */
    private static String id(Section s, Map<String, Integer> idLines) {
        String id = s.required("id", ValueTypes.matching("[a-z0-9][a-z0-9._-]{0,63}", ROUTE_ID), "a route id");
        if (id != null) {
            s.value("id").ifPresent(node -> {
                Integer first = idLines.putIfAbsent(id, node.line());
                if (first != null) {
                    s.reject("id", "a unique route id; first used at line " + first);
                }
            });
        }
        return id;
    }

    private static LoadBalancerConfig loadBalancer(Section s) {
        LoadBalancerConfig d = LoadBalancerConfig.DEFAULT;
        Strategy strategy = s.get("strategy", ValueTypes.word(Strategy.class), d.strategy());
        Optional<HashOn> hashOn = hashOn(s.child("hashOn", "header", "cookie", "clientIp"));
        if (strategy == Strategy.CONSISTENT_HASH && hashOn.isEmpty() && !s.failed("strategy") && !s.failed("hashOn")) {
            s.missing("hashOn", "what to hash: {header: NAME}, {cookie: NAME} or {clientIp: true}");
        } else if (strategy != Strategy.CONSISTENT_HASH && hashOn.isPresent()) {
            s.value("hashOn").ifPresent(node -> s.reading().problems().reject(node, s.pathOf("hashOn"),
                    "no hashOn, since only strategy consistentHash uses it"));
        }
        return new LoadBalancerConfig(strategy, hashOn, s.get("zoneAware", ValueTypes.bool(), d.zoneAware()));
    }

    private static Optional<HashOn> hashOn(Section s) {
        if (!s.present()) {
            return Optional.empty();
        }
        Optional<String> header = s.optional("header", ValueTypes.token("a header name", name -> name));
        Optional<String> cookie = s.optional("cookie", ValueTypes.token("a cookie name", name -> name));
        boolean clientIp = s.get("clientIp", ValueTypes.bool(), false);
        if (s.exclusive("header", "cookie", "clientIp")) {
            return Optional.empty();
        }
        if (header.isPresent()) {
            return Optional.of(new HashOn(HashOn.Source.HEADER, header.get()));
        }
        if (cookie.isPresent()) {
            return Optional.of(new HashOn(HashOn.Source.COOKIE, cookie.get()));
        }
        if (clientIp) {
            return Optional.of(new HashOn(HashOn.Source.CLIENT_IP, ""));
        }
        s.missingOneOf("one of header, cookie or clientIp: true", "header", "cookie", "clientIp");
        return Optional.empty();
    }

    private static RewriteConfig rewrite(Section s, Section matchSection, MatchConfig match) {
        Optional<String> stripPrefix = s.optional("stripPrefix", PathTemplates.prefix());
        Optional<String> path = s.optional("path", PathTemplates.template());
        s.exclusive("stripPrefix", "path");
        if (path.isPresent() && !matchSection.failed("path")) {
            List<String> available = match.path().map(p -> PathTemplates.variables(p).value()).orElse(List.of());
            for (String variable : PathTemplates.variables(path.get()).value()) {
                if (!available.contains(variable)) {
                    s.reject("path", available.isEmpty()
                            ? "a path without {variables}, since match.path has none"
                            : "variables of match.path " + match.path().get() + "; {" + variable + "} is not one");
                    break;
                }
            }
        }
        return stripPrefix.isEmpty() && path.isEmpty() ? RewriteConfig.NONE : new RewriteConfig(stripPrefix, path);
    }

    private static TimeoutsConfig timeouts(Section s) {
        Duration connect = s.get("connect", Durations.type(), DEFAULT_TIMEOUTS.connect());
        Duration responseHeader = s.get("responseHeader", Durations.type(), DEFAULT_TIMEOUTS.responseHeader());
        Duration total = s.get("total", Durations.type(), DEFAULT_TIMEOUTS.total());
        // Each check may blame total; once it has, the second would only repeat the point.
        if (!s.failed("total")) {
            atMostTotal(s, "connect", connect, total);
        }
        if (!s.failed("total")) {
            atMostTotal(s, "responseHeader", responseHeader, total);
        }
        return new TimeoutsConfig(connect, responseHeader, total);
    }

    /** Blames the part the user wrote: a default can only clash with a total that was set. */
    private static void atMostTotal(Section s, String key, Duration part, Duration total) {
        if (s.failed(key) || part.compareTo(total) <= 0) {
            return;
        }
        if (!s.isSet(key) || !s.reject(key, "at most total (" + Durations.format(total) + ")")) {
            s.reject("total", "at least " + key + " (" + Durations.format(part) + ")");
        }
    }

    private static PoolConfig pool(Section s) {
        return new PoolConfig(
                s.get("maxConnections", ValueTypes.integer(1, 10_000), DEFAULT_POOL.maxConnections()),
                s.get("maxQueue", ValueTypes.integer(0, 100_000), DEFAULT_POOL.maxQueue()),
                s.get("idleTimeout", Durations.type(), DEFAULT_POOL.idleTimeout()));
    }

    /** Empty when the section is absent; {@code {}} means deprecated, without dates. */
    static Optional<DeprecationConfig> deprecation(Section s) {
        if (!s.present()) {
            return Optional.empty();
        }
        Optional<Instant> since = s.optional("since", ValueTypes.instant());
        Optional<Instant> sunset = s.optional("sunset", ValueTypes.instant());
        if (since.isPresent() && sunset.isPresent() && sunset.get().isBefore(since.get())) {
            s.reject("sunset", "an instant not before since (" + since.get() + ")");
        }
        return Optional.of(new DeprecationConfig(since, sunset, s.optional("link", Addresses.linkUrl())));
    }
}
