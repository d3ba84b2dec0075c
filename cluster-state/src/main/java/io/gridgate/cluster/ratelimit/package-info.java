/**
 * Rate-limit arithmetic as pure functions of state and time: token buckets and sliding windows,
 * several limits per key decided together. The grid runs the same code on each key's partition
 * owner; tests run it under a hand-moved clock.
 */
package io.gridgate.cluster.ratelimit;
