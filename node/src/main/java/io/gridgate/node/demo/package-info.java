/** A tiny upstream for trying Gridgate on a fresh machine, started by {@code gridgate --demo}. */
package io.gridgate.node.demo;
