/**
 * The request pipeline: small handlers, one concern each, chained in one place by
 * {@link io.gridgate.node.pipeline.Pipeline}; and {@link io.gridgate.node.pipeline.LocalReply},
 * the single way the gateway answers a request itself.
 */
package io.gridgate.node.pipeline;
