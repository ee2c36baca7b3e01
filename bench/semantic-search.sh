#!/usr/bin/env bash
# Semantic search latency at 10k and 100k vectors in one tenant (local model, embedded PostgreSQL
# in bench/work/semantic/postgres): the cached path, the streamed path, and SQL ranking over real[].
# Tunables (environment): BENCH_SEARCH_SIZES (10000,100000; 1000000 works, about 10 minutes to fill),
# BENCH_SEARCH_QUERIES (30), BENCH_SEARCH_MODES (cached,streamed), BENCH_SEARCH_HEAP (1g),
# BENCH_SEARCH_REUSE (set: keep the data folder and the tenants a previous run filled),
# BENCH_JAR (target/feedback-hub.jar; another build, run with this folder's jvm.options and config.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/feedback-hub.jar ] || [ -n "$(find src migrations.xml config.yml -newer target/feedback-hub.jar -print -quit)" ]; then
  mvn -q -B -DskipTests package
fi
if [ -z "${BENCH_SEARCH_REUSE:-}" ]; then
  rm -rf bench/work/semantic
fi
rm -rf bench/work/semantic-classes
mkdir -p bench/work/semantic-classes
javac -d bench/work/semantic-classes -cp target/feedback-hub.jar bench/src/bench/SemanticSearchBench.java
exec java -cp bench/work/semantic-classes:target/feedback-hub.jar bench.SemanticSearchBench
