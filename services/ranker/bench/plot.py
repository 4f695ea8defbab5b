"""Latency vs offered rate from RankerBench's results (one JSON object per line): p99 per variant
(the do-nothing server's as the floor), one panel per candidate count, bare ONNX Runtime's p99 as a
horizontal line.

    python plot.py results.jsonl out.svg
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"floor": ("do-nothing HTTP server (floor)", "x:"), "json": ("ranker, readable JSON", "o-"),
         "compact": ("ranker, compact JSON + item snapshot", "s-"), "grpc": ("ranker, gRPC protobuf + item snapshot", "D-"),
         "kserve": ("KServe (Python, v2 JSON)", "^-")}


def main(source: str, out: str) -> None:
    rows = [json.loads(line) for line in open(source) if line.strip()]
    sizes = sorted({r["candidates"] for r in rows})
    fig, axes = plt.subplots(1, len(sizes), figsize=(5 * len(sizes), 4), squeeze=False)
    for ax, n in zip(axes[0], sizes):
        for variant, (label, style) in STYLE.items():
            points = sorted((r["rate"], r["p99"]) for r in rows if r["candidates"] == n and r["variant"] == variant)
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], style, label=label)
        ort = [r for r in rows if r["candidates"] == n and r["variant"] == "ort"]
        if ort:
            ax.axhline(ort[0]["p99"], color="grey", linestyle="--", label="bare ONNX Runtime p99")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{n} candidates")
        ax.set_xlabel("offered rate (requests/s)")
        ax.set_ylabel("p99 latency (ms)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle("Pre-rank serving, 2-core machine, loopback, open loop (services/ranker/bench/run.sh)")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
