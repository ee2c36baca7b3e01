package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one benchmark run: printed as a table and written as JSON. */
final class Report {
  record Row(String scenario, String figure, String unit, List<Double> values, String target) {
    /** min, median and max of the repetitions. */
    double[] mmm() {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new double[] {sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]};
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(String scenario, String figure, String unit, List<Double> values, String target) {
    rows.add(new Row(scenario, figure, unit, List.copyOf(values), target));
  }

  void note(String line) {
    notes.add(line);
    System.out.println(line);
  }

  void print() {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-14s %-46s %10s %10s %10s %-8s %s%n",
        "scenario",
        "figure",
        "min",
        "median",
        "max",
        "unit",
        "target");
    for (Row row : rows) {
      double[] m = row.mmm();
      System.out.printf(
          Locale.ROOT,
          "%-14s %-46s %10.2f %10.2f %10.2f %-8s %s%n",
          row.scenario(),
          row.figure(),
          m[0],
          m[1],
          m[2],
          row.unit(),
          row.target());
    }
  }

  void writeJson(Path file) throws IOException {
    StringBuilder json = new StringBuilder("{\n  \"notes\": [");
    for (int i = 0; i < notes.size(); i++) {
      json.append(i == 0 ? "\n" : ",\n").append("    ").append(quote(notes.get(i)));
    }
    json.append("\n  ],\n  \"figures\": [");
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      double[] m = row.mmm();
      json.append(i == 0 ? "\n" : ",\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "    {\"scenario\": %s, \"figure\": %s, \"unit\": %s, \"values\": %s,"
                      + " \"min\": %.3f, \"median\": %.3f, \"max\": %.3f, \"target\": %s}",
                  quote(row.scenario()),
                  quote(row.figure()),
                  quote(row.unit()),
                  row.values().toString(),
                  m[0],
                  m[1],
                  m[2],
                  quote(row.target())));
    }
    json.append("\n  ]\n}\n");
    Files.createDirectories(file.getParent());
    Files.writeString(file, json.toString());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
