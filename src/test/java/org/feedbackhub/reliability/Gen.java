package org.feedbackhub.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A plain generator of test inputs: a function of a seeded {@link Random}, so that the same seed
 * always produces the same values. The combinators cover what the hostile-input tests need; the
 * primitive generators favour edge cases (empty, the bounds, control characters, surrogates).
 */
@FunctionalInterface
interface Gen<T> {
  T next(Random random);

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  /** Draws until {@code accept} holds (bounded, so a bad filter fails instead of hanging). */
  default Gen<T> filter(Predicate<? super T> accept) {
    return r -> {
      for (int attempt = 0; attempt < 10_000; attempt++) {
        T value = next(r);
        if (accept.test(value)) {
          return value;
        }
      }
      throw new IllegalStateException("filter rejected 10000 generated values");
    };
  }

  /** A list of {@code min} to {@code max} values. */
  default Gen<List<T>> list(int min, int max) {
    return r -> {
      int size = size(r, min, max);
      List<T> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        out.add(next(r));
      }
      return out;
    };
  }

  static <T> Gen<T> just(T value) {
    return r -> value;
  }

  /** One of {@code values}, uniformly. */
  static <T> Gen<T> of(List<? extends T> values) {
    List<? extends T> copy = List.copyOf(values);
    return r -> copy.get(r.nextInt(copy.size()));
  }

  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(List.of(values));
  }

  /** A value from one of {@code gens}, each chosen with equal probability. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    List<Gen<? extends T>> all = List.of(gens);
    return r -> all.get(r.nextInt(all.size())).next(r);
  }

  static Gen<Boolean> booleans() {
    return Random::nextBoolean;
  }

  /** Any int, with the edge cases (0, ±1, the bounds) drawn often. */
  static Gen<Integer> ints() {
    return oneOf(of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE), Random::nextInt);
  }

  /** Any finite double, with the edge cases drawn often and magnitudes spread over the range. */
  static Gen<Double> doubles() {
    return oneOf(
        of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE),
        r -> (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.pow(10, r.nextInt(617) - 308));
  }

  /** Strings of any UTF-16 chars: NUL, controls, lone and paired surrogates, BMP, ASCII. */
  static Gen<String> strings(int minLength, int maxLength) {
    return r -> {
      int length = size(r, minLength, maxLength);
      StringBuilder out = new StringBuilder(length);
      while (out.length() < length) {
        int kind = r.nextInt(100);
        if (kind < 40) {
          out.append((char) (' ' + r.nextInt(95)));
        } else if (kind < 50) {
          out.append((char) (r.nextInt(33) == 32 ? 0x7F : r.nextInt(32)));
        } else if (kind < 60) {
          out.append(r.nextBoolean() ? '\u0000' : SPECIAL.charAt(r.nextInt(SPECIAL.length())));
        } else if (kind < 64) {
          out.append((char) (0xD800 + r.nextInt(0x800)));
        } else if (kind < 68 && out.length() + 2 <= length) {
          out.appendCodePoint(0x10000 + r.nextInt(0x100000));
        } else {
          out.append((char) r.nextInt(0x10000));
        }
      }
      return out.toString();
    };
  }

  /** Strings of chars in {@code [lo, hi]}. */
  static Gen<String> strings(char lo, char hi, int minLength, int maxLength) {
    return r -> {
      int length = size(r, minLength, maxLength);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append((char) (lo + r.nextInt(hi - lo + 1)));
      }
      return out.toString();
    };
  }

  /** Byte arrays of up to {@code maxSize} bytes. */
  static Gen<byte[]> bytes(int maxSize) {
    return r -> {
      byte[] out = new byte[size(r, 0, maxSize)];
      r.nextBytes(out);
      return out;
    };
  }

  /** Maps of {@code min} to {@code max} distinct keys (fewer if the keys run out). */
  static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int min, int max) {
    return r -> {
      int size = size(r, min, max);
      Map<K, V> out = new LinkedHashMap<>();
      for (int attempt = 0; out.size() < size && attempt < 1_000; attempt++) {
        K key = keys.next(r);
        if (!out.containsKey(key)) {
          out.put(key, values.next(r));
        }
      }
      return out;
    };
  }

  /** Characters with a meaning in JSON, URLs, SQL or Unicode rendering. */
  String SPECIAL = "\"\\'{}[]:,%&=+#?/;<>$`\u00A0\u200B\u200D\u202E\u2028\uFEFF\uFFFD\uFFFE\uFFFF";

  /** A size in {@code [min, max]}, the bounds drawn often. */
  private static int size(Random r, int min, int max) {
    return switch (r.nextInt(8)) {
      case 0 -> min;
      case 1 -> max;
      default -> min + r.nextInt(max - min + 1);
    };
  }
}
