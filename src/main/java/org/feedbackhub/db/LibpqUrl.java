package org.feedbackhub.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A database address as operators give it in {@code DATABASE_URL}: either the libpq form ({@code
 * postgres://user:pass@host:port/db?sslmode=...}, as in the reference Hub) or a JDBC URL.
 *
 * @param jdbcUrl the JDBC URL without credentials
 * @param user the user, or null when the JDBC URL carries it
 * @param password the password, or null
 */
public record LibpqUrl(String jdbcUrl, String user, String password) {

  /** libpq query parameters whose pgjdbc spelling differs. */
  private static final Map<String, String> RENAMED_PARAMS =
      Map.of("application_name", "ApplicationName", "connect_timeout", "connectTimeout");

  /**
   * Parses {@code DATABASE_URL}.
   *
   * @throws IllegalArgumentException with a one-line reason that never contains the password
   */
  public static LibpqUrl parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("DATABASE_URL is empty");
    }
    String url = raw.trim();
    if (url.startsWith("jdbc:postgresql:")) {
      return new LibpqUrl(url, null, null);
    }
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new IllegalArgumentException(
          "DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql:");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("DATABASE_URL is not a valid URL: " + e.getReason());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("DATABASE_URL has no host");
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException("DATABASE_URL must name one database after the host");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    for (Map.Entry<String, String> param : queryParams(uri.getRawQuery()).entrySet()) {
      String name = RENAMED_PARAMS.getOrDefault(param.getKey(), param.getKey());
      query.add(name + "=" + encode(param.getValue()));
    }
    String jdbc =
        "jdbc:postgresql://"
            + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
            + ":"
            + port
            + "/"
            + encode(database)
            + query;
    return new LibpqUrl(jdbc, user, password);
  }

  private static Map<String, String> queryParams(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.put(key, value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DATABASE_URL has a malformed percent-escape");
    }
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
