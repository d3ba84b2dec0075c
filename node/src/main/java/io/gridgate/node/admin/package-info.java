/**
 * The admin listener, separate from traffic: health probes, metrics, service heartbeats, the
 * operators' admin API (shared configuration, registry, breakers, cache, rate limits) with its
 * OpenAPI document, and the dashboard.
 */
package io.gridgate.node.admin;
