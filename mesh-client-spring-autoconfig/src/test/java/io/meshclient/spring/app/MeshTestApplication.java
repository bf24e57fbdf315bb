package io.meshclient.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with nothing of its own: the mesh comes from auto-configuration and properties. */
@SpringBootApplication
public class MeshTestApplication {
}
