package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.feedbackhub.tenant.TenantWriteLock;

/** pgbench running one SQL script against the benchmark database, reporting transactions/s. */
final class PgBench {
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");

  /**
   * The service's gated create ({@code FeedbackRecordCreateDao}) for {@code :tenant}: the record,
   * its outbox event and the embedding job the service adds when embeddings are on (off here, as in
   * the benchmarked service), returning the whole row as the service does.
   */
  static final String GATED_INSERT = insert("WHERE " + TenantWriteLock.GATE);

  /** The same statement without the lock gate: the floor the lock is measured against. */
  static final String PLAIN_INSERT = insert("");

  /** The create statement with {@code gate} as the WHERE clause of its row. */
  private static String insert(String gate) {
    return """
      WITH inserted AS (
          INSERT INTO feedback_records (collected_at, source_type, source_id, source_name, field_id,
              field_label, field_type, value_text, metadata, language, user_id, tenant_id, submission_id)
          SELECT now(), 'bench', 'bench-source', 'Benchmark', 'q1', 'How was it?', 'text',
              repeat('x', 700), '{"plan":"pro","region":"eu"}'::jsonb, 'en', 'user-1', :tenant,
              gen_random_uuid()::text
          %s
          RETURNING *
      ),
      created_event AS (
          INSERT INTO outbox_messages (topic, event_type, tenant_id, payload)
          SELECT 'event', 'feedback_record.created', tenant_id,
              jsonb_build_object('data', jsonb_strip_nulls(to_jsonb(inserted) - 'tenant_id_was_null'))
          FROM inserted
      ),
      embedding_job AS (
          INSERT INTO outbox_messages (topic, tenant_id, payload)
          SELECT 'embedding', tenant_id, jsonb_build_object('feedback_record_id', id)
          FROM inserted
          WHERE false AND field_type = 'text' AND btrim(COALESCE(value_text, '')) <> ''
      )
      SELECT * FROM inserted;
      """
        .formatted(gate);
  }

  private final String databaseUri;
  private final Path workDir;
  private final Set<String> commands = new LinkedHashSet<>();

  /**
   * @param databaseUri a libpq connection URI, e.g. {@code
   *     postgresql://postgres@127.0.0.1:55432/postgres}
   */
  PgBench(String databaseUri, Path workDir) {
    this.databaseUri = databaseUri;
    this.workDir = workDir;
  }

  /** The distinct pgbench command lines run so far, each with its script. */
  Set<String> commands() {
    return commands;
  }

  /** pgbench's version line, for the report. */
  static String version() throws IOException, InterruptedException {
    return Processes.output(List.of("pgbench", "--version")).trim();
  }

  /** Transactions per second of {@code script} with {@code clients} clients for {@code seconds}. */
  double run(String name, String script, String tenant, int clients, int seconds)
      throws IOException, InterruptedException {
    Path file = workDir.resolve(name + ".sql");
    Files.writeString(file, script);
    List<String> command =
        List.of(
            "pgbench",
            "-n",
            "-M",
            "prepared",
            "-c",
            Integer.toString(clients),
            "-j",
            "2",
            "-T",
            Integer.toString(seconds),
            "-D",
            "tenant=" + tenant,
            "-D",
            "lockKey=" + TenantWriteLock.key(tenant),
            "-f",
            file.toString(),
            databaseUri);
    commands.add(
        String.join(" ", command).replace(tenant, "<tenant>")
            + "   where "
            + file.getFileName()
            + " is: "
            + script.replaceAll("\\s+", " ").trim());
    String output = Processes.output(command);
    Matcher m = TPS.matcher(output);
    if (!m.find()) {
      throw new IOException("pgbench printed no tps:\n" + output);
    }
    return Double.parseDouble(m.group(1));
  }
}
