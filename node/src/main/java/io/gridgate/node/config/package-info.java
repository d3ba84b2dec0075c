/**
 * The gateway's configuration: the immutable records a node runs on, and {@link
 * io.gridgate.node.config.ConfigLoader}, which reads them from one YAML file plus a few per-node
 * environment overrides. Loading validates the whole document and reports every problem at once as
 * {@code file:line:column /json/pointer: value (expected: constraint)}, so that a config either loads
 * completely or not at all; the package-private classes hold the position-aware YAML tree, the strict
 * section reader that collects errors, and the value types (durations, addresses, path templates,
 * PEM public keys). A secret (an HMAC secret, an API key) never appears in an error: it shows
 * {@code (hidden)} and where the value is written.
 */
package io.gridgate.node.config;
