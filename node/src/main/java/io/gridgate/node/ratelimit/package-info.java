/**
 * Rate limiting in the request pipeline: each route's policies compiled once, keys read from the
 * request, decisions taken by the grid (exact) or from local leases (leased), and the answers
 * written as 429s and RateLimit headers.
 */
package io.gridgate.node.ratelimit;
