package org.feedbackhub;

/**
 * Switches off the usage reporting of libraries that would otherwise phone home (Liquibase's
 * analytics; DJL's tracking, which the local embedding model pulls in), before any of them loads.
 * feedback-hub talks only to loopback, its database and the endpoints its configuration names.
 */
public final class Telemetry {
  private Telemetry() {}

  /** Idempotent; call before the first Liquibase or DJL class is touched. */
  public static void disable() {
    System.setProperty("liquibase.analytics.enabled", "false");
    System.setProperty("OPT_OUT_TRACKING", "true");
  }
}
