package io.gridgate.node.admin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the admin endpoints a test sends requests to, as the node lists them ({@code METHOD /path/{param}}),
 * and the statuses the test asserts for each, so that {@link AdminEndpointCoverageTest} can fail when an
 * endpoint, or an error status it documents, has no test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Covers.List.class)
public @interface Covers {

    String[] value();

    int[] statuses();

    /** Several endpoints on one test. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface List {
        Covers[] value();
    }
}
