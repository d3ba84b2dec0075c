package io.gridgate.cluster;

/** What a heartbeat did to the registry. */
public enum RegisterOutcome {
    /** The instance was not registered: it is now, and every node learns of it. */
    CREATED,
    /** It was registered with other settings (weight, zone, metadata, address): they are replaced. */
    UPDATED,
    /** It was registered with the same settings: only its heartbeat was refreshed, with no event. */
    RENEWED
}
