package io.gridgate.node.pipeline;

import io.gridgate.node.auth.Authenticators;
import io.gridgate.node.routing.RouteTable;
import io.undertow.util.AttachmentKey;

/**
 * What one version of the shared configuration gives requests: its route table and its
 * authenticators. A new version replaces the whole snapshot with one write; {@link RouteHandler}
 * reads it once per request and attaches it, and the handlers after it read the attachment, so a
 * request never pairs one version's route with another version's authenticators.
 *
 * @param version the shared configuration version it was built from
 */
public record Snapshot(long version, RouteTable routes, Authenticators authenticators) {

    public static final AttachmentKey<Snapshot> KEY = AttachmentKey.create(Snapshot.class);
}
