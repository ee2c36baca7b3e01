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
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import io.dropwizard.migrations.MigrationsBundle;
import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.feedbackhub.admin.AdminAccessFilter;
import org.feedbackhub.admin.AdminMethods;
import org.feedbackhub.admin.AdminResponses;
import org.feedbackhub.admin.AdminSettings;
import org.feedbackhub.admin.BackfillEmbeddingsServlet;
import org.feedbackhub.admin.ConsoleMetricsServlet;
import org.feedbackhub.admin.LockMonitor;
import org.feedbackhub.admin.LockMonitorPool;
import org.feedbackhub.admin.LockMonitorServlet;
import org.feedbackhub.admin.PrometheusServlets;
import org.feedbackhub.admin.PurgeTenantRecordsServlet;
import org.feedbackhub.admin.PurgeTenantServlet;
import org.feedbackhub.admin.RecentTenants;
import org.feedbackhub.admin.ServletTask;
import org.feedbackhub.admin.SummingTimer;
import org.feedbackhub.admin.TaskRequestGuard;
import org.feedbackhub.admin.TenantCountsServlet;
import org.feedbackhub.api.JsonMapping;
import org.feedbackhub.core.EmbeddingBackfillService;
import org.feedbackhub.core.FeedbackRecordService;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.SemanticSearchService;
import org.feedbackhub.core.TaxonomyFactory;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.core.TaxonomyService;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.core.TenantSettingsService;
import org.feedbackhub.core.WebhookService;
import org.feedbackhub.core.WebhookUrlGuard;
import org.feedbackhub.db.DatabaseLocator;
import org.feedbackhub.db.DeliveryDao;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.db.HikariPoolFactory;
import org.feedbackhub.db.NamedStatementTemplateEngine;
import org.feedbackhub.db.OutboxDao;
import org.feedbackhub.db.SchemaMigrator;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.embeddings.EmbeddingProvider;
import org.feedbackhub.embeddings.EmbeddingsFactory;
import org.feedbackhub.errors.JsonProcessingExceptionMapper;
import org.feedbackhub.errors.ProblemErrorHandler;
import org.feedbackhub.errors.ProblemExceptionMapper;
import org.feedbackhub.errors.TenantWriteConflictMapper;
import org.feedbackhub.errors.UnexpectedExceptionMapper;
import org.feedbackhub.errors.WebApplicationExceptionMapper;
import org.feedbackhub.events.EmbeddingMetrics;
import org.feedbackhub.events.EmbeddingWorker;
import org.feedbackhub.events.OutboxDispatcher;
import org.feedbackhub.events.TaxonomyReaper;
import org.feedbackhub.events.TaxonomyStartWorker;
import org.feedbackhub.events.WebhookDeliveryWorker;
import org.feedbackhub.events.WebhookMetrics;
import org.feedbackhub.events.WebhookSender;
import org.feedbackhub.events.WebhooksFactory;
import org.feedbackhub.http.ApiKeyAuthFilter;
import org.feedbackhub.http.BodyLimitFeature;
import org.feedbackhub.http.CaseSensitiveHeaderCache;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.http.RequestTargetRules;
import org.feedbackhub.http.UnroutedRequestAuthFilter;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.modules.Capability;
import org.feedbackhub.modules.EnrichmentCapability;
import org.feedbackhub.modules.Infrastructure;
import org.feedbackhub.resources.FeedbackRecordsResource;
import org.feedbackhub.resources.HealthResource;
import org.feedbackhub.resources.InternalTaxonomyResource;
import org.feedbackhub.resources.OpenApiResource;
import org.feedbackhub.resources.SemanticSearchResource;
import org.feedbackhub.resources.TaxonomyResource;
import org.feedbackhub.resources.TenantRecordsPurgeResource;
import org.feedbackhub.resources.TenantsResource;
import org.feedbackhub.resources.WebhooksResource;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

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
      registerHttp(configuration, environment);
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
      RecordsPurgeService recordsPurge =
          configuration
              .getRecordsPurge()
              .build(
                  environment,
                  jdbi,
                  lock,
                  configuration.purgeLockTimeout(),
                  LockMonitorPool.APPLICATION_NAME);
      Infrastructure infra =
          new Infrastructure(
              configuration, environment, dataSourceFactory, jdbi, lock, recentTenants, purge);
      List<Object> resources =
          new ArrayList<>(resources(configuration, environment, jdbi, lock, purge));
      List<Capability> capabilities = List.of(EnrichmentCapability.build(infra));
      capabilities.forEach(c -> resources.addAll(c.resources()));
      resources.add(new TenantRecordsPurgeResource(recordsPurge));
      registerResources(configuration, environment, resources);
      registerAdmin(configuration, environment, dataSourceFactory, jdbi, purge, recentTenants);
      environment
          .admin()
          .addServlet(
              "purge-tenant-records",
              new PurgeTenantRecordsServlet(
                  recordsPurge, new AdminResponses(environment.getObjectMapper())))
          .addMapping(PurgeTenantRecordsServlet.PATH);
    } catch (RuntimeException e) {
      database.stopEmbedded();
      throw e;
    }
  }

  /**
   * Every JAX-RS resource of the API port, with the services behind them. The OpenAPI document
   * describes exactly these classes (except those marked {@code @Hidden}), so a resource added here
   * is documented too.
   */
  private List<Object> resources(
      HubConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      TenantWriteLock lock,
      TenantPurgeService purge) {
    Embeddings embeddings = embeddings(configuration, environment, jdbi, lock);
    List<Object> resources = new ArrayList<>();
    resources.add(new HealthResource());
    resources.add(
        new FeedbackRecordsResource(new FeedbackRecordService(jdbi, lock, embeddings.enabled())));
    resources.add(embeddings.resource());
    resources.add(new TenantsResource(purge, new TenantSettingsService(jdbi, lock)));
    resources.add(new WebhooksResource(webhooks(configuration, environment, jdbi, lock)));
    resources.addAll(taxonomy(configuration, environment, jdbi, lock, embeddings));
    return List.copyOf(resources);
  }

  /**
   * The public taxonomy resource; the internal one (hidden from OpenAPI, own bearer token) only
   * when {@code HUB_INTERNAL_API_TOKEN} is set; the start-job worker and the stuck-run reaper.
   */
  private List<Object> taxonomy(
      HubConfiguration configuration,
      Environment environment,
      Jdbi jdbi,
      TenantWriteLock lock,
      Embeddings embeddings) {
    TaxonomyFactory settings = configuration.getTaxonomy();
    // Runs read the vectors of TAXONOMY_EMBEDDING_MODEL, by default the configured embedder's.
    // An explicit model also enables taxonomy on an instance that does not embed itself.
    if (settings.getEmbeddingModel().isBlank() && embeddings.enabled()) {
      settings.setEmbeddingModel(embeddings.embedder().model());
    }
    boolean explicitModel = !settings.getEmbeddingModel().isBlank();
    BooleanSupplier embeddingsEnabled = () -> embeddings.enabled() || explicitModel;
    TaxonomyRunLifecycle runs = new TaxonomyRunLifecycle(jdbi, lock, settings.getEmbeddingModel());
    List<Object> resources = new ArrayList<>();
    resources.add(
        new TaxonomyResource(new TaxonomyService(jdbi, lock, embeddingsEnabled, settings)));
    if (settings.internalApiEnabled()) {
      resources.add(new InternalTaxonomyResource(runs));
    }
    if (settings.isWorkerEnabled() && settings.serviceConfigured()) {
      environment
          .lifecycle()
          .manage(
              new TaxonomyStartWorker(
                  new JobQueue(jdbi, OutboxDao.TAXONOMY_START, environment.metrics()),
                  jdbi,
                  runs,
                  new TaxonomyStartWorker.Settings(
                      settings.getServiceUrl(),
                      settings.getServiceToken(),
                      settings.getStartMaxAttempts(),
                      settings.getStartRetryBackoffBase().toJavaDuration(),
                      settings.getPollInterval().toJavaDuration(),
                      Duration.ofSeconds(settings.getStartHttpTimeoutSeconds()))));
    }
    if (!settings.serviceConfigured()) {
      // Without a compute service no run can start, so none can get stuck.
      return resources;
    }
    environment
        .lifecycle()
        .manage(
            new TaxonomyReaper(
                jdbi,
                runs,
                settings.getStuckRunTimeoutSeconds(),
                settings.getReaperIntervalSeconds()));
    return resources;
  }

  private void registerResources(
      HubConfiguration configuration, Environment environment, List<Object> resources) {
    var jersey = environment.jersey();
    resources.forEach(jersey::register);
    Set<Class<?>> documented = new LinkedHashSet<>();
    resources.forEach(resource -> documented.add(resource.getClass()));
    jersey.register(OpenApiResource.describing(documented, configuration.getPublicBaseUrl()));
  }

  /**
   * The admin port: purge task, lock monitor feed, console page and its JSON, Prometheus text, all
   * behind one access filter. The admin context has no Jersey, so each is a servlet; exact paths
   * win over Dropwizard's own {@code /*} and {@code /tasks/*} servlets.
   */
  private void registerAdmin(
      HubConfiguration configuration,
      Environment environment,
      HikariPoolFactory applicationPool,
      Jdbi jdbi,
      TenantPurgeService purge,
      RecentTenants recentTenants) {
    AdminSettings settings = configuration.adminSettings();
    AdminResponses responses = new AdminResponses(environment.getObjectMapper());
    ManagedDataSource monitorPool =
        LockMonitorPool.settings(applicationPool, settings)
            .build(environment.metrics(), environment.healthChecks(), "lock-monitor");
    environment.lifecycle().manage(monitorPool);
    Jdbi monitorJdbi = Jdbi.create(monitorPool).installPlugin(new PostgresPlugin());
    monitorJdbi.installPlugin(new SqlObjectPlugin());
    LockMonitor monitor =
        new LockMonitor(monitorJdbi, recentTenants, LockMonitorPool.APPLICATION_NAME);

    var admin = environment.admin();
    admin
        .addFilter(
            "admin-access",
            new AdminAccessFilter(
                settings.getUser(), settings.getPassword(), settings.allowedHostNames(), responses))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    // Registered after, and so (isMatchAfter false prepends) run before, the access filter: the
    // admin's problems, refusals included, carry a request id, echoed in X-Request-ID as on the
    // API.
    admin
        .addFilter("request-id", new RequestIds())
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    admin
        .addFilter("admin-methods", new AdminMethods(responses))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
    admin
        .addFilter("task-request-guard", new TaskRequestGuard(responses))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, TaskRequestGuard.PATH);
    admin
        .addServlet("purge-tenant", new PurgeTenantServlet(purge, responses))
        .addMapping(PurgeTenantServlet.PATH);
    environment.admin().addTask(new ServletTask(PurgeTenantServlet.PATH));
    admin
        .addServlet("lock-monitor", new LockMonitorServlet(monitor, responses))
        .addMapping(LockMonitorServlet.PATH);
    admin
        .addServlet(
            "console-metrics",
            new ConsoleMetricsServlet(
                environment.metrics(), monitorJdbi, responses, settings.getPurgeHistoryLimit()))
        .addMapping(ConsoleMetricsServlet.PATH);
    admin
        .addServlet("tenant-counts", new TenantCountsServlet(jdbi, responses))
        .addMapping(TenantCountsServlet.PATH);
    admin
        .addServlet("prometheus", PrometheusServlets.metricsServlet(environment.metrics()))
        .addMapping(PrometheusServlets.PATH);
    admin
        .addServlet(
            "console",
            new AssetServlet("/admin-ui", "/console", "index.html", StandardCharsets.UTF_8))
        .addMapping("/console/*");
  }

  /**
   * The embedder of the configured provider with its worker and backfill task, and the search
   * resource; the embedder is null (and search answers 503) when {@code EMBEDDING_PROVIDER} is
   * unset.
   */
  private Embeddings embeddings(
      HubConfiguration configuration, Environment environment, Jdbi jdbi, TenantWriteLock lock) {
    EmbeddingsFactory settings = configuration.getEmbeddings();
    EmbeddingProvider provider;
    try {
      provider = settings.build().orElse(null);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage());
    }
    Embedder embedder =
        provider == null
            ? null
            : new Embedder(
                provider,
                settings.isNormalize(),
                () ->
                    jdbi.withExtension(
                            EmbeddingDao.class, dao -> dao.storedDimension(provider.model()))
                        .map(OptionalInt::of)
                        .orElse(OptionalInt.empty()));
    SemanticSearchService search =
        new SemanticSearchService(
            jdbi,
            embedder,
            settings.getSearchCacheMaxVectors(),
            settings.getSearchCacheMaxTenants(),
            settings.getSearchCacheRevalidateAfter().toJavaDuration(),
            environment
                .lifecycle()
                .executorService("search-cache-check-%d")
                .minThreads(1)
                .maxThreads(1)
                .build(),
            environment.metrics());
    SemanticSearchResource resource = new SemanticSearchResource(search);
    environment
        .metrics()
        .registerGauge("hub_embedding_search_cached_vectors", search::cachedVectors);
    if (embedder == null) {
      return new Embeddings(null, resource);
    }
    environment
        .admin()
        .addServlet(
            "backfill-embeddings",
            new BackfillEmbeddingsServlet(
                new EmbeddingBackfillService(jdbi, lock, embedder.model()),
                new AdminResponses(environment.getObjectMapper())))
        .addMapping(BackfillEmbeddingsServlet.PATH);
    environment.admin().addTask(new ServletTask(BackfillEmbeddingsServlet.PATH));
    if (settings.isWorkerEnabled()) {
      Duration timeout = Duration.ofSeconds(settings.getHttpTimeoutSeconds());
      environment
          .lifecycle()
          .manage(
              new EmbeddingWorker(
                  new JobQueue(jdbi, OutboxDao.EMBEDDING, environment.metrics()),
                  jdbi,
                  embedder,
                  lock,
                  new EmbeddingMetrics(environment.metrics()),
                  new EmbeddingWorker.Settings(
                      settings.getMaxConcurrent(),
                      settings.getMaxAttempts(),
                      settings.getBatchSize(),
                      settings.getPollInterval().toJavaDuration(),
                      settings.getRetryBackoffBase().toJavaDuration(),
                      // The lease outlives a provider call twice over: no second instance
                      // embeds a batch still in flight.
                      timeout.multipliedBy(2).plusSeconds(10))));
    }
    return new Embeddings(embedder, resource);
  }

  /** What {@link #embeddings} builds. */
  private record Embeddings(Embedder embedder, SemanticSearchResource resource) {
    boolean enabled() {
      return embedder != null;
    }
  }

  /**
   * The webhook service and, unless switched off, the outbox dispatcher that delivers every event
   * with a bounded worker pool.
   */
  private WebhookService webhooks(
      HubConfiguration configuration, Environment environment, Jdbi jdbi, TenantWriteLock lock) {
    WebhooksFactory settings = configuration.getWebhooks();
    WebhookUrlGuard urlGuard =
        new WebhookUrlGuard(
            settings.blacklistedHosts(),
            settings.isAllowPrivateTargets(),
            settings.allowedCidrs(),
            java.net.InetAddress::getAllByName);
    WebhookService service = new WebhookService(jdbi, lock, urlGuard, settings.getMaxCount());
    WebhookMetrics metrics = new WebhookMetrics(environment.metrics());
    metrics.registerOutboxGauges(jdbi.onDemand(DeliveryDao.class));
    if (settings.isDispatcherEnabled()) {
      Duration timeout = Duration.ofSeconds(settings.getHttpTimeoutSeconds());
      ExecutorService httpExecutor =
          environment
              .lifecycle()
              .executorService("webhook-http-%d")
              .minThreads(4)
              .maxThreads(4)
              .build();
      WebhookSender sender = new WebhookSender(timeout, httpExecutor);
      WebhookDeliveryWorker worker =
          new WebhookDeliveryWorker(
              jdbi,
              service,
              urlGuard,
              sender,
              metrics,
              settings.getDeliveryMaxAttempts(),
              settings.getRetryBackoffBase().toJavaDuration());
      // The lease outlives the HTTP bound twice over, so no other instance re-sends an attempt in
      // flight.
      Duration lease = timeout.multipliedBy(2).plusSeconds(10);
      environment
          .lifecycle()
          .manage(
              new OutboxDispatcher(
                  jdbi,
                  worker,
                  metrics,
                  new OutboxDispatcher.Settings(
                      settings.getDeliveryMaxConcurrent(),
                      settings.getMaxFanOutPerEvent(),
                      settings.getClaimBatchSize(),
                      settings.getPollInterval().toJavaDuration(),
                      lease)));
    }
    return service;
  }

  private void registerHttp(HubConfiguration configuration, Environment environment) {
    // The configuration is parsed by now: the strict wire rules apply to request bodies only.
    JsonMapping.configure(environment.getObjectMapper());
    environment.lifecycle().addEventListener(new CaseSensitiveHeaderCache());
    environment
        .lifecycle()
        .addEventListener(
            new RequestTargetRules(
                environment.getApplicationContext(),
                configuration.getRequestBodyTimeout().toJavaDuration()));
    ProblemErrorHandler errors = new ProblemErrorHandler();
    environment.getApplicationContext().setErrorHandler(errors);
    environment.lifecycle().addEventListener(ProblemErrorHandler.installer(errors));
    environment
        .servlets()
        .addFilter("request-id", new RequestIds())
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    var jersey = environment.jersey();
    ApiKeyAuthFilter auth =
        new ApiKeyAuthFilter(
            configuration.getApiKey(), configuration.getTaxonomy().getInternalApiToken());
    jersey.register(auth);
    jersey.register(new UnroutedRequestAuthFilter(auth));
    jersey.register(new BodyLimitFeature());
    jersey.register(new ProblemExceptionMapper());
    jersey.register(new TenantWriteConflictMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new JsonProcessingExceptionMapper());
    jersey.register(new UnexpectedExceptionMapper());
    // A client that hangs up mid-response is not a server error: counted and logged at DEBUG.
    jersey.register(new EofExceptionWriterInterceptor(environment.metrics()));
  }
}
