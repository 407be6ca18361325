"""Bench: articles/second of the Dask engine with 1 and 2 workers, scaling efficiency, peak memory per worker.

    .venv/bin/python bench/dask_scaling.py [--corpus ../shared/data/news/saudinewsnet_syria.jsonl] [--workers 1 2]

Each run starts a fresh LocalCluster (not timed), extracts the corpus into a fresh Parquet dataset (timed: read +
extract + write on the workers, incident grouping on the driver timed separately) and reads each worker's peak
RSS. Prints a JSON summary and a sizing for 10 million articles a day from the measured per-article cost.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

from rasd.engines.dask import plan_shards, process_shard

ROOT = Path(__file__).resolve().parents[1]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: Path, workers: int, shard_bytes: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"rasd-dask-{workers}-"))
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        shards = plan_shards([corpus], shard_bytes=shard_bytes)
        client.run(lambda: __import__("rasd").default_pipeline())  # warm: resources loaded once per worker
        t0 = time.perf_counter()
        futures = client.map(process_shard, shards, out=str(out), pure=False, retries=3)
        results = client.gather(futures)
        seconds = time.perf_counter() - t0
        docs = sum(r["documents"] for r in results)
        peaks = client.run(_peak_rss_mb)
    finally:
        client.close()
        cluster.close()
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    shutil.rmtree(out)
    return {
        "workers": workers,
        "shards": len(shards),
        "documents": docs,
        "seconds": round(seconds, 2),
        "articles_per_s": round(docs / seconds, 1),
        "peak_rss_mb_per_worker": round(max(peaks.values()), 1),
        "parquet_bytes_per_article": round(size / max(docs, 1)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/data/news/saudinewsnet_syria.jsonl")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--shard-bytes", type=int, default=1 << 20)
    args = ap.parse_args()
    rows = [run(args.corpus, w, args.shard_bytes) for w in args.workers]
    base = rows[0]["articles_per_s"] / rows[0]["workers"]
    for r in rows:
        r["scaling_efficiency"] = round(r["articles_per_s"] / (base * r["workers"]), 2)
    per_core = base  # articles/s on one worker process (one core)
    day = 10_000_000
    need = day / 86_400  # articles/s to sustain
    sizing = {
        "articles_per_s_needed": round(need, 1),
        "worker_cores_needed_at_measured_rate": int(-(-need // per_core)),
        "with_2x_headroom": int(-(-2 * need // per_core)),
        "memory_gb": round(int(-(-2 * need // per_core)) * rows[0]["peak_rss_mb_per_worker"] / 1024, 1),
        "parquet_gb_per_day": round(day * rows[-1]["parquet_bytes_per_article"] / 1e9, 1),
    }
    print(json.dumps({"runs": rows, "sizing_10M_per_day": sizing}, indent=2))


if __name__ == "__main__":
    main()
