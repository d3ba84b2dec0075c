package io.gridgate.node.ratelimit;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The in-flight count of one concurrency key on this node, with its bounded queue of waiters. A
 * released slot passes straight to the oldest waiter, so waiters are served in arrival order and a
 * newcomer cannot overtake them.
 */
final class ConcurrencyGate {

    /** What a request found at the gate. */
    enum Entry { ADMITTED, QUEUED, REFUSED }

    /** A queued request: told once whether it got a slot or timed out. */
    interface Waiter {
        void admitted();

        void timedOut();
    }

    private final int maxInFlight;
    private final int queueSize;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    ConcurrencyGate(int maxInFlight, int queueSize) {
        this.maxInFlight = maxInFlight;
        this.queueSize = queueSize;
    }

    synchronized Entry enter(Waiter waiter) {
        if (inFlight < maxInFlight) {
            inFlight++;
            return Entry.ADMITTED;
        }
        if (queue.size() < queueSize) {
            queue.addLast(waiter);
            return Entry.QUEUED;
        }
        return Entry.REFUSED;
    }

    /** Frees a slot, handing it to the oldest waiter if there is one. */
    void release() {
        Waiter next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.admitted();
        }
    }

    /** Gives up on a waiter whose deadline passed, unless a slot reached it first. */
    void expire(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = false;
            for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
                if (it.next() == waiter) {
                    it.remove();
                    removed = true;
                    break;
                }
            }
        }
        if (removed) {
            waiter.timedOut();
        }
    }

    synchronized boolean idle() {
        return inFlight == 0 && queue.isEmpty();
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
