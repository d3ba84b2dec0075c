/**
 * Backend-For-Frontend: per-client request edits and response shapes on routes, the client chosen
 * by a request header or a claim of the verified token.
 */
package io.gridgate.node.bff;
