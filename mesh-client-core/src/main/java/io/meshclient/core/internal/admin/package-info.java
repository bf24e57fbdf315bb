/**
 * The embedded admin server: the snapshot as JSON, Prometheus text, health, and a page that shows
 * them. Internal: started by {@link io.meshclient.core.MeshClientBuilder#adminServer(int)}.
 */
@NullMarked
package io.meshclient.core.internal.admin;

import org.jspecify.annotations.NullMarked;
