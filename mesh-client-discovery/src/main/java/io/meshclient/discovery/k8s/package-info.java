/**
 * Kubernetes as a registry: {@link io.meshclient.discovery.k8s.KubernetesDiscovery} watches a
 * Service's EndpointSlices ({@code discovery.k8s.io/v1}) with the fabric8 client, an optional
 * dependency, and {@link io.meshclient.discovery.k8s.KubernetesDiscoveryProvider} makes sources
 * from {@code k8s://namespace/service[:port-name]} URIs.
 */
@NullMarked
package io.meshclient.discovery.k8s;

import org.jspecify.annotations.NullMarked;
