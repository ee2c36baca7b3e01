package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the taxonomy scope lock key, a cross-process contract like the tenant key. */
class TaxonomyScopeKeyTest {
  @Test
  void eachPartIsPrefixedWithItsUtf8ByteLength() {
    assertThat(TenantWriteLock.taxonomyScopeKey("field", "org-123", "formbricks", "", "q1"))
        .isEqualTo("5:field|7:org-123|10:formbricks|0:|2:q1");
    assertThat(TenantWriteLock.taxonomyScopeKey("directory", "a|b", "", "", ""))
        .isEqualTo("9:directory|3:a|b|0:|0:|0:");
    assertThat(TenantWriteLock.taxonomyScopeKey("field", "é", "s", "x", "f"))
        .isEqualTo("5:field|2:é|1:s|1:x|1:f");
  }
}
