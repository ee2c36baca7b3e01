#!/usr/bin/env bash
# feedback-hub benchmark: builds the service jar, compiles the driver and runs every scenario.
# Tunables (environment): BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (240, of creates), BENCH_REPS (3),
# BENCH_CLIENTS (16), BENCH_FAILFAST_CLIENTS (4), BENCH_FAILFAST_RATE (150 a second per stream), BENCH_PURGE_SIZES (10000,100000,300000), BENCH_READS_TOTAL (1000000),
# BENCH_READS_TENANT (200000), BENCH_SCENARIOS (create,failfast,isolation,purge,reads,startup),
# BENCH_SERVICE_JAVA_OPTS (extra JVM options for the service, e.g. a JFR recording),
# BENCH_DATABASE_URL (empty: an embedded PostgreSQL in bench/work/postgres), BENCH_SERVICE_PORT (18480),
# BENCH_POSTGRES_PORT (55432, the embedded PostgreSQL's).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in pgbench wrk; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is needed: apt-get install -y postgresql-client wrk (Debian)" >&2
    exit 1
  fi
done
if [ ! -f target/feedback-hub.jar ] || [ ! -f target/feedback-hub.jsa ] \
    || [ -n "$(find src migrations.xml config.yml jvm.options -newer target/feedback-hub.jar -print -quit)" ]; then
  mvn -q -B -DskipTests package
fi
rm -rf bench/work/classes bench/work/postgres bench/work/*.sql bench/work/service*.log
mkdir -p bench/work/classes
javac -d bench/work/classes -cp target/feedback-hub.jar bench/src/bench/*.java
exec java -cp bench/work/classes:target/feedback-hub.jar bench.Bench
