package io.meshclient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every field the configuration file accepts has a property of the same name, so a field added to
 * the model without its property (or the reverse) fails here, not in a user's IDE.
 */
class MeshPropertiesCoverageTest {
  @ParameterizedTest(name = "{0} <-> MeshProperties.{2}")
  @CsvSource({
      "MeshConfigMapping, FIELDS, MeshProperties",
      "ServiceMapping, FIELDS, Service",
      "ServicePolicyMapping, FIELDS, Policy",
      "LoadBalancingMapping, FIELDS, LoadBalancing",
      "TimeoutsMapping, FIELDS, Timeouts",
      "RetryMapping, FIELDS, Retry",
      "CircuitBreakerMapping, FIELDS, CircuitBreaker",
      "OutlierDetectionMapping, FIELDS, OutlierDetection",
      "HealthCheckMapping, FIELDS, HealthCheck",
      "EndpointMapping, FIELDS, Endpoint",
      "PeerIdentityMapping, FIELDS, PeerIdentity",
      "TlsMapping, FIELDS, Tls",
      "EgressMapping, FIELDS, Egress",
      "EgressMapping, RULE_FIELDS, EgressRule",
      "RedactionMapping, FIELDS, Redaction",
  })
  void eachFileFieldHasAProperty(String mapping, String table, String properties) throws Exception {
    assertThat(properties(properties)).isEqualTo(fileFields(mapping, table));
  }

  private static Set<String> fileFields(String mapping, String table) throws Exception {
    Field fields = Class.forName("io.meshclient.core.config." + mapping).getDeclaredField(table);
    fields.setAccessible(true);
    Object value = fields.get(null);
    Method names = value.getClass().getDeclaredMethod("names");
    names.setAccessible(true);
    @SuppressWarnings("unchecked")
    Set<String> result = new TreeSet<>((Set<String>) names.invoke(value));
    return result;
  }

  private static Set<String> properties(String name) throws Exception {
    Class<?> type = name.equals("MeshProperties") ? MeshProperties.class
        : Class.forName(MeshProperties.class.getName() + "$" + name);
    // Spring-only settings of the root, not part of the mesh configuration
    Set<String> springOnly = type.equals(MeshProperties.class) ? Set.of("enabled", "health") : Set.of();
    return Arrays.stream(Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors())
        .map(PropertyDescriptor::getName)
        .filter(p -> !springOnly.contains(p))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
