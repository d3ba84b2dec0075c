package io.gridgate.node.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PathNormalizerTest {

    private static String normalized(String raw) {
        PathNormalizer.Result result = PathNormalizer.normalize(raw);
        assertThat(result.ok()).as("%s was refused: %s", raw, result.problem()).isTrue();
        return result.path();
    }

    private static String problem(String raw) {
        PathNormalizer.Result result = PathNormalizer.normalize(raw);
        assertThat(result.ok()).as("%s was accepted as %s", raw, result.path()).isFalse();
        return result.problem();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiterString = " => ", textBlock = """
            /                          => /
            /admin                     => /admin
            /admin/                    => /admin/
            /api/v1/items              => /api/v1/items
            /a.b/c.d                   => /a.b/c.d
            /...                       => /...
            /.well-known/x             => /.well-known/x
            //admin                    => /admin
            ///admin//x//              => /admin/x/
            /./admin                   => /admin
            /admin/.                   => /admin/
            /public/../admin           => /admin
            /a/b/../../admin           => /admin
            /a/b/..                    => /a/
            /public/..                 => /
            /public/%2e%2e/admin       => /admin
            /public/%2E%2E/admin       => /admin
            /public/.%2e/admin         => /admin
            /%2e/admin                 => /admin
            /%61dmin                   => /admin
            /%41DMIN                   => /ADMIN
            /ADMIN                     => /ADMIN
            /a%7eb                     => /a~b
            /a%2Db%5F                  => /a-b_
            /a%21%24%26%27%28%29%2A%2B%2C%3D%3A%40 => /a!$&'()*+,=:@
            /a%20b                     => /a%20b
            /a%3bb                     => /a%3Bb
            /a%3fb%23c                 => /a%3Fb%23c
            /caf%c3%a9                 => /caf%C3%A9
            /%E2%82%AC                 => /%E2%82%AC
            /%F0%9F%98%80              => /%F0%9F%98%80
            /100%25                    => /100%25
            /a%25zz                    => /a%25zz
            /a%25/2e                   => /a%25/2e
            /a|b                       => /a%7Cb
            /a{b}                      => /a%7Bb%7D
            /a'b(c)*!$&+,=:@           => /a'b(c)*!$&+,=:@
            """)
    void normalizes(String raw, String expected) {
        assertThat(normalized(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is refused for {1}")
    @CsvSource(delimiterString = " => ", textBlock = """
            /..                        => above the root
            /a/../..                   => above the root
            /%2e%2e/admin              => above the root
            /admin%2f                  => encoded slash
            /admin%2Fx                 => encoded slash
            /public/..%2fadmin         => encoded slash
            /admin%5c                  => encoded backslash
            /public%5C..%5Cadmin       => encoded backslash
            /admin%00                  => control character %00
            /admin%0d%0aX-Injected:1   => control character %0D
            /admin%7f                  => control character %7F
            /admin%c2%85               => control character U+0085
            /public/%252e%252e/admin   => double percent-encoding
            /%252fadmin                => double percent-encoding
            /%2561dmin                 => double percent-encoding
            /%25%32%65                 => double percent-encoding
            /%252%65                   => double percent-encoding
            /admin;foo                 => path parameters
            /admin;/                   => path parameters
            /public;/../admin          => path parameters
            /public/..;/admin          => path parameters
            /%c0%ae%c0%ae/admin        => strict UTF-8
            /%c0%af                    => strict UTF-8
            /%e0%80%ae                 => strict UTF-8
            /%f0%80%80%ae              => strict UTF-8
            /%ed%a0%80                 => strict UTF-8
            /%f4%90%80%80              => strict UTF-8
            /%f8%88%80%80%80           => strict UTF-8
            /%80                       => strict UTF-8
            /%c3                       => strict UTF-8
            /%c3/%a9                   => strict UTF-8
            /%c3%28                    => strict UTF-8
            /%e2%82                    => strict UTF-8
            /%zz                       => malformed percent escape
            /%4                        => malformed percent escape
            /a%                        => malformed percent escape
            /%%32%65                   => malformed percent escape
            /%ef%bc%8e%ef%bc%8e/admin  => NFKC
            /%e2%80%a5/admin           => NFKC
            /a%ef%bc%8fb               => NFKC
            /a%ef%bc%bcb               => NFKC
            admin                      => must start with /
            *                          => must start with /
            """)
    void refuses(String raw, String why) {
        assertThat(problem(raw)).contains(why);
    }

    @Test
    void refusesRawCharactersThatServersReadDifferently() {
        assertThat(problem("\\admin")).contains("must start with /");
        assertThat(problem("/public\\..\\admin")).contains("backslash");
        assertThat(problem("/admin#x")).contains("#");
        assertThat(problem("/a b")).contains("space");
        assertThat(problem("/admin\u0000")).contains("control character 0x00");
        assertThat(problem("/admin\t")).contains("control character 0x09");
        assertThat(problem("/admin\u007f")).contains("control character 0x7F");
        assertThat(problem("/caf\u00e9")).contains("non-ASCII");
        assertThat(problem("/\u00c0\u00ae")).as("raw overlong bytes read as Latin-1").contains("non-ASCII");
        assertThat(problem("")).contains("must start with /");
    }

    @Test
    void keepsACanonicalPathAsTheSameString() {
        String path = "/api/v1/users/42";
        assertThat(PathNormalizer.normalize(path).path()).isSameAs(path);
    }

    @Test
    void isIdempotent() {
        for (String raw : new String[] {"/a/./b/../c//d/", "/%61%20%3b/%C3%A9", "/a|b/%7e", "/x/%25zz"}) {
            String once = normalized(raw);
            assertThat(normalized(once)).as(raw).isEqualTo(once);
        }
    }

    @Test
    void resolvesDeepPathsBeyondTheInitialSegmentStack() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append("/s").append(i);
        }
        String path = deep + "/./x/..";
        assertThat(normalized(path)).isEqualTo(deep + "/");
    }
}
