package io.gridgate.node.routing;

import io.gridgate.node.upstream.Upstream;

import java.util.Optional;

/**
 * Where a matched request goes: the upstream, the base path its URL named, and whether this
 * target is deprecated.
 */
public record Target(Upstream upstream, String basePath, Optional<Deprecation> deprecation) {
}
