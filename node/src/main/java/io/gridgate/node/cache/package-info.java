/**
 * The response cache. {@link io.gridgate.node.cache.CacheHandler} applies it to the routes that
 * have one: lookups, replays, single flight and stale answers, with {@link io.gridgate.node.cache.Fetch}
 * copying storable responses on their way to the client.
 *
 * <p>The shared-cache rules of RFC 9111 are pure functions beside it: whether a request may be
 * answered from the cache ({@link io.gridgate.node.cache.CachePolicy#isLookupAllowed}), whether a
 * response may be stored and until when ({@link io.gridgate.node.cache.CachePolicy#decide}), under
 * which key ({@link io.gridgate.node.cache.CachePolicy#key}), how fresh a stored entry is
 * ({@link io.gridgate.node.cache.Freshness}) and when a conditional request gets a 304
 * ({@link io.gridgate.node.cache.Conditional}). They touch no exchange, grid or clock: headers come
 * in through the read-only {@link io.gridgate.node.cache.Headers} view, time as epoch millis.
 */
package io.gridgate.node.cache;
