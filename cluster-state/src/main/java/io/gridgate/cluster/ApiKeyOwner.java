package io.gridgate.cluster;

import java.io.Serializable;
import java.util.List;

/** The consumer an API key belongs to, with what routes may ask of it. */
public record ApiKeyOwner(String consumer, List<String> scopes, List<String> roles) implements Serializable {

    public ApiKeyOwner {
        scopes = List.copyOf(scopes);
        roles = List.copyOf(roles);
    }
}
