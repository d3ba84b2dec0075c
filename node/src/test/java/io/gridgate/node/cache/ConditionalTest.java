package io.gridgate.node.cache;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.gridgate.node.cache.TestHeaders.date;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConditionalTest {

    static Stream<Arguments> cases() {
        String stored = "ETag: \"v1\" | Last-Modified: " + date(0);
        return Stream.of(
                arguments("GET", "If-None-Match: \"v1\"", stored, true),
                arguments("HEAD", "If-None-Match: \"v1\"", stored, true),
                arguments("POST", "If-None-Match: \"v1\"", stored, false),
                arguments("GET", "If-None-Match: \"v2\"", stored, false),
                arguments("GET", "If-None-Match: W/\"v1\"", stored, true),
                arguments("GET", "If-None-Match: \"v1\"", "ETag: W/\"v1\"", true),
                arguments("GET", "If-None-Match: W/\"v1\"", "ETag: W/\"v1\"", true),
                arguments("GET", "If-None-Match: \"a\", \"v1\", \"b\"", stored, true),
                arguments("GET", "If-None-Match: \"a\" | If-None-Match: W/\"v1\"", stored, true),
                arguments("GET", "If-None-Match: \"a,b\"", "ETag: \"a,b\"", true),
                arguments("GET", "If-None-Match: \"a,b\"", "ETag: \"a\"", false),
                arguments("GET", "If-None-Match: v1", stored, false),
                arguments("GET", "If-None-Match: \"V1\"", stored, false),
                arguments("GET", "If-None-Match: *", stored, true),
                arguments("GET", "If-None-Match: *", "", true),
                arguments("GET", "If-None-Match: \"v1\"", "Last-Modified: " + date(0), false),
                arguments("GET", "If-None-Match: \"v2\" | If-Modified-Since: " + date(10), stored, false),
                arguments("GET", "If-Modified-Since: " + date(0), stored, true),
                arguments("GET", "If-Modified-Since: " + date(10), stored, true),
                arguments("GET", "If-Modified-Since: " + date(-1), stored, false),
                arguments("GET", "If-Modified-Since: yesterday", stored, false),
                arguments("GET", "If-Modified-Since: " + date(10), "ETag: \"v1\"", false),
                arguments("GET", "If-Modified-Since: Tuesday, 14-Nov-23 22:13:20 GMT", stored, true),
                arguments("GET", "If-Modified-Since: Tue Nov 14 22:13:19 2023", stored, false),
                arguments("GET", "If-Modified-Since: Tue Nov 14 22:13:20 2023", stored, true),
                arguments("GET", "", stored, false));
    }

    @ParameterizedTest(name = "{0} [{1}] vs stored [{2}] -> 304? {3}")
    @MethodSource("cases")
    void answersNotModifiedOnlyWhenTheValidatorsMatch(String method, String request, String stored, boolean notModified) {
        assertThat(Conditional.isNotModified(method, TestHeaders.parse(request), TestHeaders.parse(stored)))
                .isEqualTo(notModified);
    }
}
