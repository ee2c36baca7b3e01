package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LibpqUrlTest {
  @Test
  void libpqFormWithEverything() {
    LibpqUrl url =
        LibpqUrl.parse("postgres://hub:s3cret@db.example.com:6543/feedback?sslmode=require");
    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example.com:6543/feedback?sslmode=require");
    assertThat(url.user()).isEqualTo("hub");
    assertThat(url.password()).isEqualTo("s3cret");
  }

  @Test
  void postgresqlSchemeIsTheSame() {
    assertThat(LibpqUrl.parse("postgresql://hub:pw@db:5433/feedback"))
        .isEqualTo(LibpqUrl.parse("postgres://hub:pw@db:5433/feedback"));
  }

  @Test
  void percentEncodedCredentialsAreDecoded() {
    LibpqUrl url = LibpqUrl.parse("postgres://us%40er:p%40ss%3Aw%2Frd%25+x@db/feedback");
    assertThat(url.user()).isEqualTo("us@er");
    assertThat(url.password()).isEqualTo("p@ss:w/rd%+x");
    assertThat(url.jdbcUrl()).doesNotContain("ss").doesNotContain("us");
  }

  @Test
  void portDefaultsTo5432() {
    assertThat(LibpqUrl.parse("postgres://db.internal/feedback").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:5432/feedback");
  }

  @Test
  void userWithoutPassword() {
    LibpqUrl url = LibpqUrl.parse("postgres://hub@db/feedback");
    assertThat(url.user()).isEqualTo("hub");
    assertThat(url.password()).isNull();
  }

  @Test
  void noCredentialsLeavesThemToTheDriver() {
    LibpqUrl url = LibpqUrl.parse("postgres://db/feedback");
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "postgres://u:p@[::1]:5433/db, jdbc:postgresql://[::1]:5433/db",
    "postgres://u:p@[::1]/db, jdbc:postgresql://[::1]:5432/db",
    "postgres://u:p@[2001:db8::7]:6000/db, jdbc:postgresql://[2001:db8::7]:6000/db"
  })
  void ipv6HostsKeepTheirBrackets(String libpq, String jdbc) {
    assertThat(LibpqUrl.parse(libpq).jdbcUrl()).isEqualTo(jdbc);
  }

  @Test
  void libpqParameterNamesBecomePgjdbcNames() {
    assertThat(
            LibpqUrl.parse(
                    "postgres://db/feedback?sslmode=disable&application_name=hub%20a&connect_timeout=3")
                .jdbcUrl())
        .isEqualTo(
            "jdbc:postgresql://db:5432/feedback?sslmode=disable&ApplicationName=hub%20a"
                + "&connectTimeout=3");
  }

  @Test
  void databaseNameIsDecodedAndReEncoded() {
    assertThat(LibpqUrl.parse("postgres://db/feed%20back").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:5432/feed%20back");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db:5432/feedback?user=hub&password=pw",
        "jdbc:postgresql:feedback",
        "  jdbc:postgresql://db/feedback  "
      })
  void jdbcUrlsPassThrough(String jdbc) {
    LibpqUrl url = LibpqUrl.parse(jdbc);
    assertThat(url.jdbcUrl()).isEqualTo(jdbc.trim());
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|DATABASE_URL is empty",
        "'   '|DATABASE_URL is empty",
        "mysql://u:hunter2pw@db/feedback|DATABASE_URL must start with",
        "jdbc:mysql://u:hunter2pw@db/feedback|DATABASE_URL must start with",
        "postgres://u:hunter2pw@/feedback|DATABASE_URL has no host",
        "postgres://u:hunter2pw@db|DATABASE_URL must name one database",
        "postgres://u:hunter2pw@db/|DATABASE_URL must name one database",
        "postgres://u:hunter2pw@db/a/b|DATABASE_URL must name one database",
        "postgres://u:hunter2pw@db:notaport/feedback|DATABASE_URL has no host",
        "postgres://u:hunter2pw%zz@db/feedback|DATABASE_URL is not a valid URL",
        "postgres://u:hunter2 pw@db/feedback|DATABASE_URL is not a valid URL",
        "postgres://u:hunter2pw@db/feedback?sslmode=%g1|DATABASE_URL is not a valid URL",
        "postgres://u:hunter2pw@[::1/feedback|DATABASE_URL is not a valid URL",
      })
  void malformedUrlsGiveOneLineWithoutThePassword(String raw, String start) {
    assertThatThrownBy(() -> LibpqUrl.parse(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(start)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("\n");
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void nullIsEmpty() {
    assertThatThrownBy(() -> LibpqUrl.parse(null)).hasMessage("DATABASE_URL is empty");
  }
}
