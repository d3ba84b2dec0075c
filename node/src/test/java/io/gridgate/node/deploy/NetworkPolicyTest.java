package io.gridgate.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The member port has no authentication, so the shipped NetworkPolicy must admit only Gridgate
 * pods to it, and select the pods it protects by the same label it admits.
 */
class NetworkPolicyTest {

    private static final String NAME_LABEL = "app.kubernetes.io/name";

    @Test
    void onlyGridgatePodsReachTheMemberPort() throws Exception {
        JsonNode policy = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "k8s", "networkpolicy.yaml").toFile());

        assertThat(policy.at("/kind").asText()).isEqualTo("NetworkPolicy");
        String protectedPods = policy.at("/spec/podSelector/matchLabels").path(NAME_LABEL).asText();
        assertThat(protectedPods).isEqualTo("gridgate");
        int rulesOpeningMemberPort = 0;
        for (JsonNode rule : policy.at("/spec/ingress")) {
            boolean opensMemberPort = false;
            for (JsonNode port : rule.path("ports")) {
                opensMemberPort |= port.path("port").asInt() == 5701;
            }
            if (!opensMemberPort) {
                continue;
            }
            rulesOpeningMemberPort++;
            assertThat(rule.path("from")).as("a rule opening 5701 names its peers").isNotEmpty();
            for (JsonNode peer : rule.path("from")) {
                assertThat(peer.has("ipBlock") || peer.has("namespaceSelector")).as("no peers beyond Gridgate pods").isFalse();
                assertThat(peer.at("/podSelector/matchLabels").path(NAME_LABEL).asText()).isEqualTo(protectedPods);
            }
        }
        assertThat(rulesOpeningMemberPort).isEqualTo(1);
    }
}
