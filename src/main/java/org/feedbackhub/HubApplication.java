package org.feedbackhub;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.api.JsonMapping;
import org.feedbackhub.db.DatabaseLocator;
import org.feedbackhub.db.SchemaMigrator;
import org.feedbackhub.errors.JsonProcessingExceptionMapper;
import org.feedbackhub.errors.ProblemExceptionMapper;
import org.feedbackhub.errors.TenantWriteConflictMapper;
import org.feedbackhub.errors.UnexpectedExceptionMapper;
import org.feedbackhub.errors.WebApplicationExceptionMapper;
import org.feedbackhub.http.ApiKeyAuthFilter;
import org.feedbackhub.http.BodyLimitFeature;
import org.feedbackhub.http.CaseSensitiveHeaderCache;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.resources.HealthResource;
import org.feedbackhub.resources.OpenApiResource;
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
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addBundle(
        new MigrationsBundle<HubConfiguration>() {
          @Override
          public DataSourceFactory getDataSourceFactory(HubConfiguration configuration) {
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
    DatabaseLocator database = locator(configuration);
    DataSourceFactory dataSourceFactory = database.dataSourceFactory();
    database.embeddedServer().ifPresent(environment.lifecycle()::manage);
    try {
      ManagedDataSource dataSource = dataSourceFactory.build(environment.metrics(), "postgresql");
      Jdbi jdbi = new JdbiFactory().build(environment, dataSourceFactory, dataSource, "postgresql");
      jdbi.installPlugin(new PostgresPlugin());
      if (configuration.getDatabase().isMigrateOnStart()) {
        SchemaMigrator.migrate(dataSource);
      }
      registerHttp(configuration, environment);
    } catch (RuntimeException e) {
      database.stopEmbedded();
      throw e;
    }
  }

  private void registerHttp(HubConfiguration configuration, Environment environment) {
    // The configuration is parsed by now: the strict wire rules apply to request bodies only.
    JsonMapping.configure(environment.getObjectMapper());
    environment.lifecycle().addEventListener(new CaseSensitiveHeaderCache());
    environment
        .servlets()
        .addFilter("request-id", new RequestIds())
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    var jersey = environment.jersey();
    jersey.register(new ApiKeyAuthFilter("v1/", configuration.getApiKey()));
    jersey.register(new BodyLimitFeature());
    jersey.register(new ProblemExceptionMapper());
    jersey.register(new TenantWriteConflictMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new JsonProcessingExceptionMapper());
    jersey.register(new UnexpectedExceptionMapper());
    List<Object> resources = resources();
    resources.forEach(jersey::register);
    Set<Class<?>> documented = new LinkedHashSet<>();
    resources.forEach(resource -> documented.add(resource.getClass()));
    jersey.register(OpenApiResource.describing(documented, configuration.getPublicBaseUrl()));
  }

  /**
   * Every JAX-RS resource of the API port. The OpenAPI document describes exactly these classes
   * (except those marked {@code @Hidden}), so a resource registered here is documented too.
   */
  private List<Object> resources() {
    return List.of(new HealthResource());
  }
}
