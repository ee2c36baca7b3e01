package org.feedbackhub.modules;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.servlets.tasks.Task;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one capability contributes to the application, as built by its factory: the composition root
 * registers every part generically, in the order given here.
 *
 * @param resources JAX-RS resources of the API port, each described in the OpenAPI document
 * @param providers Jersey providers of the API port (filters, mappers, features)
 * @param managed workers and pools started and stopped with the server, in this order
 * @param adminFilters filters of the admin port, registered in this order
 * @param adminServlets servlets of the admin port with their paths
 * @param adminTasks Dropwizard tasks of the admin port
 * @param healthChecks health checks by name
 */
public record Capability(
    List<Object> resources,
    List<Object> providers,
    List<Managed> managed,
    List<AdminFilter> adminFilters,
    List<AdminServlet> adminServlets,
    List<Task> adminTasks,
    Map<String, HealthCheck> healthChecks) {

  public Capability {
    resources = List.copyOf(resources);
    providers = List.copyOf(providers);
    managed = List.copyOf(managed);
    adminFilters = List.copyOf(adminFilters);
    adminServlets = List.copyOf(adminServlets);
    adminTasks = List.copyOf(adminTasks);
    healthChecks = Map.copyOf(healthChecks);
  }

  /** A servlet of the admin port, registered under {@code name} at {@code path}. */
  public record AdminServlet(String name, Servlet servlet, String path) {}

  /**
   * A filter of the admin port for every dispatcher type; {@code matchAfter} false prepends it to
   * the filters registered before (Servlet API semantics).
   */
  public record AdminFilter(String name, Filter filter, boolean matchAfter, String pattern) {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects a capability's parts while its factory builds them. */
  public static final class Builder {
    private final List<Object> resources = new ArrayList<>();
    private final List<Object> providers = new ArrayList<>();
    private final List<Managed> managed = new ArrayList<>();
    private final List<AdminFilter> adminFilters = new ArrayList<>();
    private final List<AdminServlet> adminServlets = new ArrayList<>();
    private final List<Task> adminTasks = new ArrayList<>();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();

    private Builder() {}

    public Builder resource(Object resource) {
      resources.add(resource);
      return this;
    }

    public Builder provider(Object provider) {
      providers.add(provider);
      return this;
    }

    public Builder managed(Managed lifecycle) {
      managed.add(lifecycle);
      return this;
    }

    public Builder adminFilter(String name, Filter filter, boolean matchAfter, String pattern) {
      adminFilters.add(new AdminFilter(name, filter, matchAfter, pattern));
      return this;
    }

    public Builder adminServlet(String name, Servlet servlet, String path) {
      adminServlets.add(new AdminServlet(name, servlet, path));
      return this;
    }

    public Builder adminTask(Task task) {
      adminTasks.add(task);
      return this;
    }

    public Builder healthCheck(String name, HealthCheck check) {
      healthChecks.put(name, check);
      return this;
    }

    public Capability build() {
      return new Capability(
          resources, providers, managed, adminFilters, adminServlets, adminTasks, healthChecks);
    }
  }
}
