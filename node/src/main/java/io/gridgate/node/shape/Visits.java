package io.gridgate.node.shape;

/**
 * Counts the nodes one application of a shape touches, so that tests can check that the work
 * grows with the document and not with its square, without timing anything.
 */
final class Visits {

    private long count;

    void add() {
        count++;
    }

    long count() {
        return count;
    }
}
