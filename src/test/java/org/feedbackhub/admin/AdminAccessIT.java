package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminAccessIT {
  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Nested
  class WithBasicAuth {
    static final HubApp APP =
        HubApp.builder().set("admin.user", "ops").set("admin.password", "s3cret-pass").build();

    @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

    @Test
    void everyAdminPathNeedsTheCredentials() {
      for (String path :
          new String[] {
            "/tasks/gc",
            "/metrics",
            "/healthcheck",
            "/console/",
            "/console/metrics",
            LockMonitorServlet.PATH,
            "/prometheus",
            "/",
            TenantCountsServlet.PATH + "?tenant_id=x"
          }) {
        AdminHttp.Reply reply = AdminHttp.get(APP.adminUrl() + path);
        assertThat(reply.status()).as(path).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).as(path).startsWith("Basic realm=");
        assertThat(reply.json().get("code").asText()).isEqualTo("unauthorized");
      }
      AdminHttp.Reply purge =
          AdminHttp.post(
              APP.adminUrl() + PurgeTenantServlet.PATH + "?tenant_id=" + TenantIds.fresh(),
              AdminHttp.csrf());
      assertThat(purge.status()).isEqualTo(401);
    }

    @Test
    void wrongCredentialsAreRefused() {
      for (String auth :
          new String[] {
            basic("ops", "wrong"),
            basic("ops", "s3cret-pass2"),
            basic("op", "s3cret-pass"),
            "Basic !!!notbase64",
            "Bearer s3cret-pass"
          }) {
        assertThat(AdminHttp.get(APP.adminUrl() + "/metrics", "Authorization", auth).status())
            .as(auth)
            .isEqualTo(401);
      }
    }

    @Test
    void theRightCredentialsOpenEveryPath() {
      String auth = basic("ops", "s3cret-pass");
      assertThat(AdminHttp.get(APP.adminUrl() + "/metrics", "Authorization", auth).status())
          .isEqualTo(200);
      assertThat(AdminHttp.get(APP.adminUrl() + "/console/", "Authorization", auth).status())
          .isEqualTo(200);
      assertThat(
              AdminHttp.get(APP.adminUrl() + LockMonitorServlet.PATH, "Authorization", auth)
                  .status())
          .isEqualTo(200);
      AdminHttp.Reply purge =
          AdminHttp.post(
              APP.adminUrl() + PurgeTenantServlet.PATH + "?tenant_id=" + TenantIds.fresh(),
              "Authorization",
              auth,
              AdminAccessFilter.CSRF_HEADER,
              "console");
      assertThat(purge.status()).isEqualTo(200);
    }
  }

  @Nested
  class WithoutBasicAuth {
    static final HubApp APP = HubApp.builder().build();

    @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

    @Test
    void adminPathsAreOpenOnTheLoopbackPort() {
      assertThat(AdminHttp.get(APP.adminUrl() + "/metrics").status()).isEqualTo(200);
      AdminHttp.Reply console = AdminHttp.get(APP.adminUrl() + "/console/");
      assertThat(console.status()).isEqualTo(200);
      assertThat(console.body()).contains("tenant write conflicts");
      assertThat(console.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void aCrossSiteFormPostIsRefused() {
      String tenant = TenantIds.fresh();
      AdminHttp.Reply reply =
          AdminHttp.postForm(
              APP.adminUrl() + PurgeTenantServlet.PATH,
              "tenant_id=" + tenant,
              "Origin",
              "http://evil.example");

      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.json().get("code").asText()).isEqualTo("forbidden");
      assertThat(reply.json().get("detail").asText()).contains(AdminAccessFilter.CSRF_HEADER);
    }

    @Test
    void dropwizardsOwnTasksNeedTheHeaderToo() {
      assertThat(AdminHttp.post(APP.adminUrl() + "/tasks/gc").status()).isEqualTo(403);
      assertThat(AdminHttp.post(APP.adminUrl() + "/tasks/gc", AdminHttp.csrf()).status())
          .isEqualTo(200);
    }

    @Test
    void tenantCountsShowWhatAPurgeWouldDelete() {
      String tenant = TenantIds.fresh();
      APP.post("/v1/feedback-records", PurgeTenantServletIT.record(tenant, "s1")).close();

      AdminHttp.Reply reply =
          AdminHttp.get(APP.adminUrl() + TenantCountsServlet.PATH + "?tenant_id=" + tenant);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().get("counts").get("feedback_records").asLong()).isEqualTo(1);
      assertThat(AdminHttp.get(APP.adminUrl() + TenantCountsServlet.PATH).status()).isEqualTo(400);
    }

    @Test
    void prometheusExposesTheServiceMetricsWithLabels() throws Exception {
      String tenant = TenantIds.fresh();
      try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
        assertThat(
                APP.post("/v1/feedback-records", PurgeTenantServletIT.record(tenant, "s1"))
                    .getStatus())
            .isEqualTo(409);
      }
      AdminHttp.post(
          APP.adminUrl() + PurgeTenantServlet.PATH + "?tenant_id=" + tenant, AdminHttp.csrf());

      AdminHttp.Reply reply = AdminHttp.get(APP.adminUrl() + PrometheusServlets.PATH);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("text/plain");
      assertThat(reply.body())
          .contains(
              "hub_tenant_write_conflicts_total{direction=\"writer_refused\","
                  + "operation=\"feedback_record.create\"} ")
          .contains("hub_tenant_purges_total{outcome=\"ok\"} ")
          .contains("hub_tenant_purges_total{outcome=\"timed_out\"} ")
          .contains("hub_tenant_purge_duration_seconds{quantile=\"0.99\"}")
          .contains("hub_tenant_purge_duration_seconds_count ")
          .contains("hub_tenant_purge_lock_wait_seconds_count ")
          .doesNotContain("tenant_write_conflicts_total_total")
          .doesNotContain("operation=\"total\"");
    }
  }
}
