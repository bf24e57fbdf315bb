/**
 * etcd as a registry: {@link io.meshclient.discovery.etcd.EtcdDiscovery} watches endpoints kept
 * under a key prefix ({@code <prefix>/<service>/<endpoint-id>}, JSON values), and
 * {@link io.meshclient.discovery.etcd.EtcdRegistration} writes this process there under a lease
 * kept alive until it closes. Both speak etcd's v3 JSON gateway over OkHttp.
 * {@link io.meshclient.discovery.etcd.EtcdDiscoveryProvider} makes sources from
 * {@code etcd://host:port/prefix} URIs.
 */
@NullMarked
package io.meshclient.discovery.etcd;

import org.jspecify.annotations.NullMarked;
