package org.feedbackhub.testing;

import java.util.UUID;

/** Fresh tenant ids, so tests sharing one database never see each other's rows. */
public final class TenantIds {
  private TenantIds() {}

  public static String fresh() {
    return "tenant-" + UUID.randomUUID();
  }

  public static String fresh(String label) {
    return label + "-" + UUID.randomUUID();
  }
}
