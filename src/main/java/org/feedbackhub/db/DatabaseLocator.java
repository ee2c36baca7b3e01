package org.feedbackhub.db;

import java.util.Optional;
import org.feedbackhub.StartupException;

/**
 * Resolves where the database is: the external server named by {@code DATABASE_URL}, or the
 * embedded server, which it starts on first use. Shared by {@code server} and the {@code db}
 * commands so both see the same database.
 */
public final class DatabaseLocator {
  private final DatabaseFactory settings;
  private EmbeddedPostgresServer embedded;
  private HikariPoolFactory dataSourceFactory;

  public DatabaseLocator(DatabaseFactory settings) {
    this.settings = settings;
  }

  /** The pool settings, starting the embedded server first when no URL is configured. */
  public synchronized HikariPoolFactory dataSourceFactory() {
    if (dataSourceFactory == null) {
      LibpqUrl address;
      if (settings.isEmbedded()) {
        embedded =
            EmbeddedPostgresServer.start(
                settings.embeddedDataPath(), settings.getEmbeddedPort(), true);
        address = new LibpqUrl(embedded.jdbcUrl(), null, null);
      } else {
        try {
          address = LibpqUrl.parse(settings.getUrl());
        } catch (IllegalArgumentException e) {
          throw new StartupException(e.getMessage());
        }
      }
      try {
        dataSourceFactory = settings.dataSourceFactory(address);
      } catch (IllegalArgumentException e) {
        throw new StartupException(e.getMessage());
      }
    }
    return dataSourceFactory;
  }

  /** The embedded server, if this process started one. */
  public synchronized Optional<EmbeddedPostgresServer> embeddedServer() {
    return Optional.ofNullable(embedded);
  }

  /** Stops the embedded server, if any; used when start-up fails before lifecycle management. */
  public synchronized void stopEmbedded() {
    if (embedded != null) {
      embedded.close();
      embedded = null;
    }
  }
}
