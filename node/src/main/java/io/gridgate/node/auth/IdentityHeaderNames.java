package io.gridgate.node.auth;

import io.gridgate.node.config.AuthConfig.IdentityHeaders;
import io.undertow.util.HttpString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity headers of one configuration, made into {@link HttpString}s once rather than per request.
 *
 * @param claims claim name to the header that carries it
 * @param all every identity header, which a client's request loses before anything reads it
 */
record IdentityHeaderNames(HttpString consumer, HttpString subject, Map<String, HttpString> claims,
                           List<HttpString> all) {

    static IdentityHeaderNames of(IdentityHeaders headers) {
        HttpString consumer = new HttpString(headers.consumer());
        HttpString subject = new HttpString(headers.subject());
        Map<String, HttpString> claims = new LinkedHashMap<>();
        headers.claims().forEach((claim, header) -> claims.put(claim, new HttpString(header)));
        List<HttpString> all = new ArrayList<>(List.of(consumer, subject));
        all.addAll(claims.values());
        return new IdentityHeaderNames(consumer, subject, Map.copyOf(claims), List.copyOf(all));
    }
}
