package org.feedbackhub;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use, once, by whichever thread asks first; for things that cost start-up
 * time but may never be needed (the OpenAPI document, HTTP clients of idle integrations).
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<? extends T> factory;
  private volatile T value;

  private Lazy(Supplier<? extends T> factory) {
    this.factory = Objects.requireNonNull(factory);
  }

  public static <T> Lazy<T> of(Supplier<? extends T> factory) {
    return new Lazy<>(factory);
  }

  @Override
  public T get() {
    T built = value;
    if (built == null) {
      synchronized (this) {
        built = value;
        if (built == null) {
          built = Objects.requireNonNull(factory.get(), "a lazy value cannot be null");
          value = built;
        }
      }
    }
    return built;
  }
}
