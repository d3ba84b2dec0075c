/**
 * Connection-level defence against hostile HTTP/1.1 input, in front of the request pipeline.
 *
 * <p>{@link io.gridgate.node.guard.ConnectionGuard} is the entry point the traffic listener uses. It
 * puts a source conduit under Undertow's parser on every HTTP/1.1 connection. With
 * {@code server.limits.strictFraming} on, the conduit runs each request head, chunk line and trailer
 * through a strict RFC 9112 scanner (one pass over those bytes, none over bodies) before Undertow sees
 * them, because Undertow's own parser unfolds obs-fold, decodes any {@code Transfer-Encoding} as
 * chunked and skips junk in chunked framing. A request that breaks a rule is answered 400, 414 or 431
 * with the JSON body of a local reply and the connection is closed; nothing of it reaches an upstream.
 * The conduit also closes connections whose request body stalls longer than
 * {@code server.limits.bodyReadTimeout}. A root handler ties the conduit to the exchanges Undertow
 * dispatches, and checks what the parsed request still shows (header count, target length) when the
 * scanner is off.
 */
package io.gridgate.node.guard;
