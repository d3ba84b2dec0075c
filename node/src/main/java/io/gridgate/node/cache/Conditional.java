package io.gridgate.node.cache;

import java.util.List;

/**
 * Answers conditional GET and HEAD requests from a stored response (RFC 9110 §13.1.2, §13.1.3,
 * RFC 9111 §4.3.2): {@code If-None-Match} by weak comparison against the stored {@code ETag};
 * {@code If-Modified-Since} against the stored {@code Last-Modified}, and only when the request has no
 * {@code If-None-Match}. A stored response without {@code Last-Modified} never answers
 * {@code If-Modified-Since}: the request goes on to a full response.
 */
public final class Conditional {

    private Conditional() {
    }

    /** Whether the request is answered with 304 Not Modified rather than the stored response. */
    public static boolean isNotModified(String method, Headers request, Headers stored) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if (request.contains("If-None-Match")) {
            return noneMatchFails(HeaderLists.elements(request.all("If-None-Match")), stored.first("ETag"));
        }
        long since = HttpDates.parse(request.first("If-Modified-Since"));
        long lastModified = HttpDates.parse(stored.first("Last-Modified"));
        return since != HttpDates.INVALID && lastModified != HttpDates.INVALID && lastModified <= since;
    }

    private static boolean noneMatchFails(List<String> tags, String storedEtag) {
        if (tags.contains("*")) {
            return true;
        }
        String stored = opaque(storedEtag);
        if (stored == null) {
            return false;
        }
        for (String tag : tags) {
            if (stored.equals(opaque(tag))) {
                return true;
            }
        }
        return false;
    }

    /** The quoted opaque tag with any {@code W/} removed, or null if it is not an entity tag. */
    static String opaque(String etag) {
        if (etag == null) {
            return null;
        }
        String tag = etag.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() < 2 || tag.charAt(0) != '"' || tag.charAt(tag.length() - 1) != '"'
                || tag.indexOf('"', 1) != tag.length() - 1) {
            return null;
        }
        return tag;
    }
}
