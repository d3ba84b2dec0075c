/**
 * Response shaping for per-client APIs: {@link io.gridgate.node.shape.JsonShape} turns an
 * upstream's JSON into the payload one kind of client needs (include, exclude, defaults, rename,
 * flatten), from {@link io.gridgate.node.shape.ShapeRules} compiled once per route. It is a pure
 * function of the document: no exchange, no I/O. Paths, in JSON Pointer or dotted syntax, compile
 * to one internal form; the rules are walked over the document without recursing deeper than a
 * path is long.
 */
package io.gridgate.node.shape;
