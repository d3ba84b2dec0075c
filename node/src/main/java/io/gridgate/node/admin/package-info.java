/**
 * The admin listener, separate from traffic: health probes now, the admin API and service
 * heartbeats later.
 */
package io.gridgate.node.admin;
