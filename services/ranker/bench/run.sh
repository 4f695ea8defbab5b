#!/usr/bin/env bash
# Ranker latency at a fixed request rate vs bare ONNX Runtime on the same batch (~2 minutes).
# Needs the local stack (MinIO, MLflow) up; starts its own ranker on RANKOPS_BENCH_PORT (default
# 18082) serving a throwaway registered model, and stops it at the end.
#   services/ranker/bench/run.sh [model.onnx] [seconds per batch size]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
set -a && . infra/local/rankops.env && set +a
model="${1:-services/ranker/src/test/resources/models/shared_bottom.onnx}"
seconds="${2:-20}"
port="${RANKOPS_BENCH_PORT:-18082}"
export RANKOPS_RANKER_MODEL_NAME="rankops-ranker-bench-$$"

[ -f services/ranker/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -pl services/ranker package -DskipTests
cp_file="$(mktemp)"
./mvnw -B -q -pl services/ranker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null

# The throwaway model is the suites' (RankerBench registers it with their MLflow account); the
# stack's ranker account reads only the served model, so this ranker reads with theirs too.
RANKOPS_RANKER_PORT="$port" RANKOPS_MLFLOW_RANKER_USER="$RANKOPS_MLFLOW_TEST_USER" \
  RANKOPS_MLFLOW_RANKER_PASSWORD="$RANKOPS_MLFLOW_TEST_PASSWORD" \
  java -jar services/ranker/target/quarkus-app/quarkus-run.jar >"${TMPDIR:-/tmp}/ranker-bench.log" 2>&1 &
ranker_pid=$!
trap 'kill "$ranker_pid" 2>/dev/null; rm -f "$cp_file"' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
  sleep 1
done

java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$(cat "$cp_file")" services/ranker/bench/RankerBench.java "http://127.0.0.1:$port" "$model" "$seconds"
