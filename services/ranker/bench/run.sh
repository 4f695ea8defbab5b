#!/usr/bin/env bash
# Pre-rank serving side by side (docs/benchmarks.md, "Pre-rank serving"): bare ONNX Runtime, a
# do-nothing HTTP server (the floor), the ranker with readable JSON, its compact columnar JSON path
# with the item snapshot, the same compact form over gRPC, and a KServe Python model server on the
# same ONNX model, 100 / 1,000 / 5,000 candidates, each at swept fixed offered rates with one
# open-loop generator for all: vegeta (gRPC as HTTP/2 cleartext), pinned below and built once with
# Go into .rankops/bench/bin (bench/RankerBench.java drives it). Loopback only; bounded (~15 min).
# Needs the local stack (MinIO, MLflow) up; starts its own ranker on RANKOPS_BENCH_PORT (default
# 18082) and KServe server on RANKOPS_BENCH_KSERVE_PORT (default 18090), and stops both at the end.
#   services/ranker/bench/run.sh [model.onnx] [seconds per point]
# KServe (PyPI `kserve`, pinned below) goes into its own venv under .rankops/bench/ (created once);
# RANKOPS_BENCH_KSERVE=0 skips it. Writes .rankops/bench/results.jsonl and, with the trainer venv's
# matplotlib, docs/benchmarks-prerank-serving.svg.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
set -a && . infra/local/rankops.env && set +a
model="${1:-services/ranker/src/test/resources/models/shared_bottom_sources.onnx}"
seconds="${2:-5}"
port="${RANKOPS_BENCH_PORT:-18082}"
kserve_port="${RANKOPS_BENCH_KSERVE_PORT:-18090}"
bench_dir="$root/.rankops/bench"
mkdir -p "$bench_dir"
export RANKOPS_RANKER_MODEL_NAME="rankops-ranker-bench-$$"

# The generator, built once (Go >= 1.22; the Go module proxy serves it).
export RANKOPS_BENCH_BIN="$bench_dir/bin"
vegeta_version=v12.13.0
if [ ! -x "$RANKOPS_BENCH_BIN/vegeta" ] || [ "$(cat "$RANKOPS_BENCH_BIN/vegeta.version" 2>/dev/null)" != "$vegeta_version" ]; then
  command -v go >/dev/null || { echo "bench/run.sh builds vegeta with Go >= 1.22: install it (https://go.dev/dl)" >&2; exit 1; }
  mkdir -p "$RANKOPS_BENCH_BIN"
  GOBIN="$RANKOPS_BENCH_BIN" go install "github.com/tsenart/vegeta/v12@$vegeta_version"
  echo "$vegeta_version" > "$RANKOPS_BENCH_BIN/vegeta.version"
fi

# Always the working tree's ranker (and its generated protobuf classes, which the bench's gRPC body needs).
./mvnw -B -q -pl services/ranker package -DskipTests
cp_file="$(mktemp)"
./mvnw -B -q -pl services/ranker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
echo ":$root/services/ranker/target/classes" >> "$cp_file"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -f "$cp_file"' EXIT

# The throwaway model is the suites' (RankerBench registers it with their MLflow account); the
# stack's ranker account reads only the served model, so this ranker reads with theirs too. No
# deadline: the bench measures the scoring path, not the caller's-order fallback.
RANKOPS_RANKER_PORT="$port" RANKOPS_MLFLOW_RANKER_USER="$RANKOPS_MLFLOW_TEST_USER" \
  RANKOPS_MLFLOW_RANKER_PASSWORD="$RANKOPS_MLFLOW_TEST_PASSWORD" RANKOPS_RANKER_DEADLINE=0s \
  java ${RANKOPS_BENCH_RANKER_JAVA_OPTS:-} -jar services/ranker/target/quarkus-app/quarkus-run.jar >"$bench_dir/ranker.log" 2>&1 &
pids+=($!)

kserve_url=-
if [ "${RANKOPS_BENCH_KSERVE:-1}" != 0 ]; then
  venv="$bench_dir/kserve-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import kserve, onnxruntime" 2>/dev/null; then
    echo "installing kserve into $venv (once)"
    python3 -m venv "$venv"
    timeout 600 "$venv/bin/pip" install -q "kserve==0.21.0" onnxruntime
  fi
  "$venv/bin/python" services/ranker/bench/kserve_model.py --model_path "$model" --http_port "$kserve_port" \
    >"$bench_dir/kserve.log" 2>&1 &
  pids+=($!)
  kserve_url="http://127.0.0.1:$kserve_port"
fi

for _ in $(seq 1 90); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null \
    && { [ "$kserve_url" = - ] || curl -sf "$kserve_url/v2/models/ranker/ready" >/dev/null; } && break
  sleep 1
done

timeout 1800 java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$(tr -d '\n' < "$cp_file")" \
  services/ranker/bench/RankerBench.java "http://127.0.0.1:$port" "$model" "$seconds" "$kserve_url" "$bench_dir/results.jsonl"

# The committed chart is the whole sweep's: a narrowed run (variants, sizes) leaves it as it is.
if [ -z "${RANKOPS_BENCH_VARIANTS:-}${RANKOPS_BENCH_CANDIDATES:-}" ] && [ -x .rankops/venv/bin/python ] \
    && .rankops/venv/bin/python -c "import matplotlib" 2>/dev/null; then
  .rankops/venv/bin/python services/ranker/bench/plot.py "$bench_dir/results.jsonl" docs/benchmarks-prerank-serving.svg
fi
