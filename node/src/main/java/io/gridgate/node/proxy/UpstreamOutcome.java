package io.gridgate.node.proxy;

import io.undertow.util.AttachmentKey;

/**
 * What the last upstream try of an exchange came to, for metrics and the access log: set when its
 * response head arrives, or when it fails without one ({@code status} 0).
 *
 * @param upstream the upstream's name: a service, or a URL's {@code scheme://host:port}
 * @param instance the endpoint tried, {@code host:port}
 * @param status   the upstream's status, 0 when it gave none
 * @param nanos    from the try's start to its response head (or its failure)
 * @param tries    how many tries the exchange made, retries included
 */
public record UpstreamOutcome(String upstream, String instance, int status, long nanos, int tries) {

    public static final AttachmentKey<UpstreamOutcome> KEY = AttachmentKey.create(UpstreamOutcome.class);
}
