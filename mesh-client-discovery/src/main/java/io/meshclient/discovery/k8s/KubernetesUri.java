package io.meshclient.discovery.k8s;

import io.meshclient.api.MeshConfigException;
import java.net.URI;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code k8s://namespace/service[:port-name]} URI says, checked. Every part may be left out:
 * {@code k8s:///orders} takes the client's namespace, {@code k8s://prod} serves each watched mesh
 * service from the Kubernetes Service of the same name, and without a port name the service's only
 * port is used.
 *
 * @param namespace the namespace, or null for the client's
 * @param service the Kubernetes Service, or null for the watched mesh service's name
 * @param portName the port's name, or null for the only port
 */
record KubernetesUri(@Nullable String namespace, @Nullable String service, @Nullable String portName) {
  /** RFC 1123 label: what a namespace may be called. */
  static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** RFC 1035 label: what a Service may be called. */
  static final Pattern SERVICE = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  /** IANA service name: what a port may be called. */
  static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

  static KubernetesUri parse(URI uri) {
    String text = uri.toString();
    if (!"k8s".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
      throw new MeshConfigException("k8s.uri", text, "k8s://namespace/service[:port-name]");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new MeshConfigException("k8s.uri", text, "k8s://namespace/service[:port-name], with no query or fragment");
    }
    String namespace = uri.getRawAuthority();
    if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
      throw new MeshConfigException("k8s.namespace", namespace,
          "a namespace name: lower-case letters, digits and '-', at most 63 characters");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    path = path.startsWith("/") ? path.substring(1) : path;
    if (path.isEmpty()) {
      return new KubernetesUri(namespace, null, null);
    }
    int colon = path.indexOf(':');
    String service = colon < 0 ? path : path.substring(0, colon);
    String portName = colon < 0 ? null : path.substring(colon + 1);
    if (!SERVICE.matcher(service).matches()) {
      throw new MeshConfigException("k8s.service", service,
          "a Service name: a lower-case letter, then letters, digits and '-', at most 63 characters");
    }
    if (portName != null && !PORT_NAME.matcher(portName).matches()) {
      throw new MeshConfigException("k8s.portName", portName, "a port name: lower-case letters, digits and '-', at most 15 characters");
    }
    return new KubernetesUri(namespace, service, portName);
  }
}
