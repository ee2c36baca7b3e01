package org.feedbackhub;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.db.PooledDataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.admin.LockMonitorPool;
import org.feedbackhub.admin.RecentTenants;
import org.feedbackhub.admin.SummingTimer;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.db.DatabaseLocator;
import org.feedbackhub.db.HikariPoolFactory;
import org.feedbackhub.db.NamedStatementTemplateEngine;
import org.feedbackhub.db.SchemaMigrator;
import org.feedbackhub.modules.AdminConsoleCapability;
import org.feedbackhub.modules.ApiPort;
import org.feedbackhub.modules.Capability;
import org.feedbackhub.modules.Embeddings;
import org.feedbackhub.modules.EnrichmentCapability;
import org.feedbackhub.modules.Infrastructure;
import org.feedbackhub.modules.RecordsCapability;
import org.feedbackhub.modules.SearchCapability;
import org.feedbackhub.modules.TaxonomyCapability;
import org.feedbackhub.modules.TenantsCapability;
import org.feedbackhub.modules.WebhooksCapability;
import org.feedbackhub.resources.OpenApiResource;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The composition root: the only place that builds and wires feedback-hub's objects. */
public class HubApplication extends Application<HubConfiguration> {
  /** One locator per configuration, shared by {@code server} and the {@code db} commands. */
  private final Map<HubConfiguration, DatabaseLocator> locators = new IdentityHashMap<>();

  static {
    Telemetry.disable();
  }

  public static void main(String[] args) throws Exception {
    new HubApplication().run(args);
  }

  @Override
  public String getName() {
    return "feedback-hub";
  }

  @Override
  protected void addDefaultCommands(Bootstrap<HubConfiguration> bootstrap) {
    bootstrap.addCommand(new HubServerCommand(this));
    bootstrap.addCommand(new CheckCommand<>(this));
  }

  @Override
  public void initialize(Bootstrap<HubConfiguration> bootstrap) {
    // Timers that keep their sum, so that /prometheus can export it.
    bootstrap.setMetricRegistry(SummingTimer.registry());
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addBundle(
        new MigrationsBundle<HubConfiguration>() {
          @Override
          public PooledDataSourceFactory getDataSourceFactory(HubConfiguration configuration) {
            return locator(configuration).dataSourceFactory();
          }

          @Override
          public String getMigrationsFileName() {
            return SchemaMigrator.CHANGELOG;
          }
        });
  }

  private synchronized DatabaseLocator locator(HubConfiguration configuration) {
    return locators.computeIfAbsent(configuration, c -> new DatabaseLocator(c.getDatabase()));
  }

  @Override
  public void run(HubConfiguration configuration, Environment environment) {
    if (configuration.getApiKey().isBlank()) {
      throw new StartupException("API_KEY is required: set it to the bearer key clients must send");
    }
    try {
      configuration.getEnrichment().validate();
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
    DatabaseLocator database = locator(configuration);
    HikariPoolFactory dataSourceFactory = database.dataSourceFactory();
    database.embeddedServer().ifPresent(environment.lifecycle()::manage);
    try {
      ManagedDataSource dataSource =
          dataSourceFactory.build(environment.metrics(), environment.healthChecks(), "postgresql");
      Jdbi jdbi = new JdbiFactory().build(environment, dataSourceFactory, dataSource, "postgresql");
      jdbi.setTemplateEngine(new NamedStatementTemplateEngine());
      jdbi.installPlugin(new PostgresPlugin());
      if (configuration.getDatabase().isMigrateOnStart()) {
        SchemaMigrator.migrate(dataSource);
      }
      ApiPort.install(configuration, environment);
      register(
          configuration,
          environment,
          capabilities(infrastructure(configuration, environment, dataSourceFactory, jdbi)));
    } catch (RuntimeException e) {
      database.stopEmbedded();
      throw e;
    }
  }

  /** The lock, the {@code /data} purge and what else every capability shares. */
  private static Infrastructure infrastructure(
      HubConfiguration configuration,
      Environment environment,
      HikariPoolFactory applicationPool,
      Jdbi jdbi) {
    RecentTenants recentTenants =
        new RecentTenants(configuration.adminSettings().getRecentTenantsCapacity());
    var metrics = environment.metrics();
    TenantWriteLock lock =
        new TenantWriteLock(new TenantConflictMetrics(metrics), metrics, recentTenants);
    TenantPurgeService purge =
        new TenantPurgeService(
            jdbi,
            lock,
            configuration.purgeLockTimeout(),
            metrics,
            LockMonitorPool.APPLICATION_NAME);
    return new Infrastructure(
        configuration, environment, applicationPool, jdbi, lock, recentTenants, purge);
  }

  /**
   * Every capability, built in the order of their side effects on the shared metrics and executors,
   * listed in the order their parts are registered.
   */
  private static List<Capability> capabilities(Infrastructure infra) {
    Capability tenants = TenantsCapability.build(infra);
    Embeddings embeddings = Embeddings.of(infra.configuration().getEmbeddings(), infra.jdbi());
    Capability search = SearchCapability.build(infra, embeddings);
    Capability webhooks = WebhooksCapability.build(infra);
    Capability taxonomy = TaxonomyCapability.build(infra, embeddings);
    Capability enrichment = EnrichmentCapability.build(infra);
    Capability admin = AdminConsoleCapability.build(infra);
    return List.of(
        RecordsCapability.build(infra, embeddings),
        search,
        tenants,
        webhooks,
        taxonomy,
        enrichment,
        admin);
  }

  /**
   * Registers what the capabilities contribute. The OpenAPI document describes exactly their
   * resources (except those marked {@code @Hidden}), so a resource added to a capability is
   * documented too. Admin filters run in the order registered, so they go in capability order.
   */
  private static void register(
      HubConfiguration configuration, Environment environment, List<Capability> capabilities) {
    var jersey = environment.jersey();
    var admin = environment.admin();
    Set<Class<?>> documented = new LinkedHashSet<>();
    for (Capability capability : capabilities) {
      capability.providers().forEach(jersey::register);
      for (Object resource : capability.resources()) {
        jersey.register(resource);
        documented.add(resource.getClass());
      }
      capability.managed().forEach(environment.lifecycle()::manage);
      capability.healthChecks().forEach(environment.healthChecks()::register);
    }
    jersey.register(OpenApiResource.describing(documented, configuration.getPublicBaseUrl()));
    for (Capability capability : capabilities) {
      for (Capability.AdminFilter filter : capability.adminFilters()) {
        admin
            .addFilter(filter.name(), filter.filter())
            .addMappingForUrlPatterns(
                EnumSet.allOf(DispatcherType.class), filter.matchAfter(), filter.pattern());
      }
    }
    for (Capability capability : capabilities) {
      for (Capability.AdminServlet servlet : capability.adminServlets()) {
        admin.addServlet(servlet.name(), servlet.servlet()).addMapping(servlet.path());
      }
      capability.adminTasks().forEach(admin::addTask);
    }
  }
}
