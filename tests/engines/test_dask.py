"""The Dask engine gives the local engine's answers, survives a killed worker, and shards JSON Lines (issue 9)."""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

import rasd  # noqa: E402
from rasd.engines.dask import (  # noqa: E402
    iter_documents,
    plan_shards,
    process_shard,
    remove_stale_temps,
    run_to_parquet,
)
from rasd.process import partial_path  # noqa: E402
from rasd.readers import Reader  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = pytest.mark.slow


def _events_key(events: list[dict]) -> list[tuple]:
    keys = (
        "kind",
        "event_type",
        "sub_event_type",
        "event_date",
        "date_end",
        "actor1",
        "actor2",
        "pcode",
        "fatalities",
        "modality",
    )
    return sorted(tuple(str(e.get(k)) for k in keys) for e in events)


@pytest.fixture(scope="module")
def cluster():
    cl = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cl
    cl.close()


def _records(tmp_path: Path, n: int) -> Path:
    lines = []
    for i in range(n):
        text = f"قصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي أمس مما أدى إلى مقتل {i + 2} مدنيين"
        lines.append(json.dumps({"id": f"r{i}", "text": text, "published": "2015-07-20"}, ensure_ascii=False))
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_is_cut_into_byte_ranges_that_read_every_record_once(tmp_path: Path) -> None:
    path = _records(tmp_path, 40)
    shards = plan_shards([path], shard_bytes=1000)
    assert len(shards) > 3
    assert shards[0].start == 0 and shards[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(shards))
    out = tmp_path / "out"
    for s in shards:
        process_shard(s, str(out))
    got = [d.id for d in iter_documents(out)]
    want = [d.id for d in Reader([path])]
    assert sorted(got) == sorted(want) and len(got) == len(set(got)) == 40


def test_a_finished_shard_is_not_redone(tmp_path: Path) -> None:
    path = _records(tmp_path, 3)
    [shard] = plan_shards([path])
    first = process_shard(shard, str(tmp_path / "out"))
    again = process_shard(shard, str(tmp_path / "out"))
    assert again.get("resumed") and again["documents"] == first["documents"] == 3


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid


def test_half_written_files_of_a_killed_run_are_never_read_and_are_cleaned_issue10(tmp_path: Path) -> None:
    """Regression for #10: a kill -9 mid-write leaves hidden temporaries; readers skip them, the next run
    removes them (unless their writer still runs), and a shard whose marker is missing is redone."""
    path = _records(tmp_path, 6)
    out = tmp_path / "out"
    [shard] = plan_shards([path])
    process_shard(shard, str(out))
    dead, live = _dead_pid(), os.getpid()
    junk = [
        partial_path(out / "documents" / f"part-{shard.id}.parquet", dead),
        partial_path(out / "events" / f"part-{shard.id}.parquet", dead),
        partial_path(out / "_shards" / f"{shard.id}.json", dead),
    ]
    for p in junk:
        p.write_bytes(b"PAR1 half a part")
    kept = partial_path(out / "documents" / "part-x.parquet", live)
    kept.write_bytes(b"PAR1 being written")
    assert pq.read_table(out / "documents").num_rows == 6  # the dataset reader skips dot files
    assert sorted(d.id for d in iter_documents(out)) == sorted(d.id for d in Reader([path]))
    assert sorted(remove_stale_temps(out)) == sorted(junk)
    assert kept.exists() and not any(p.exists() for p in junk)

    # killed after the part was (re)written but before its marker: the shard is done again, not trusted
    (out / "_shards" / f"{shard.id}.json").unlink()
    part = out / "documents" / f"part-{shard.id}.parquet"
    part.write_bytes(part.read_bytes()[:100])
    again = process_shard(shard, str(out))
    assert not again.get("resumed") and again["documents"] == 6
    assert pq.read_table(part).num_rows == 6


def test_dask_yields_exactly_the_events_of_the_local_engine(cluster, tmp_path: Path) -> None:
    local = [rasd.extract(d).to_dict() for d in Reader([EXAMPLES])]
    summary = run_to_parquet(
        [EXAMPLES], tmp_path / "ds", scheduler=cluster.scheduler_address, shard_bytes=20_000
    )
    assert summary.shards > 2 and not summary.failures
    remote = {d.id: d.to_dict() for d in iter_documents(tmp_path / "ds")}
    assert sorted(remote) == sorted(d["id"] for d in local)
    for rec in local:
        got = remote[rec["id"]]
        assert _events_key(got["events"] + got["statements"]) == _events_key(
            rec["events"] + rec["statements"]
        )
    n_events = sum(len(r["events"]) + len(r["statements"]) for r in local)
    table = pq.read_table(tmp_path / "ds" / "events") if n_events else None
    assert (table.num_rows if table is not None else 0) == n_events == summary.events


def test_ingest_into_a_store_with_the_dask_engine_matches_local(cluster, tmp_path: Path) -> None:
    from rasd.store import ingest
    from rasd.store import open as open_store

    a = ingest([EXAMPLES], tmp_path / "local.db", progress=False)
    b = ingest(
        [EXAMPLES],
        tmp_path / "dask.db",
        engine="dask",
        engine_options={"scheduler": cluster.scheduler_address},
        progress=False,
    )
    assert (a.new, a.failed, a.events) == (b.new, b.failed, b.events)
    with open_store(tmp_path / "local.db") as sa, open_store(tmp_path / "dask.db") as sb:
        assert _events_key(sa.query_events(kind=None)) == _events_key(sb.query_events(kind=None))


def test_a_killed_worker_loses_and_duplicates_nothing(cluster, tmp_path: Path) -> None:
    path = _records(tmp_path, 120)
    out = tmp_path / "ds"
    with distributed.Client(cluster.scheduler_address) as client:
        victim = next(iter(client.run(os.getpid).values()))
    killed: list[int] = []

    def kill_after_first_shard() -> None:  # plain os calls only: no Dask client in this thread
        deadline = time.time() + 120
        while time.time() < deadline and not list((out / "_shards").glob("*.json")):
            time.sleep(0.02)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    th = threading.Thread(target=kill_after_first_shard)
    th.start()
    summary = run_to_parquet(
        [path], out, scheduler=cluster.scheduler_address, shard_bytes=800, db=str(tmp_path / "x.db")
    )
    th.join()
    assert killed and summary.shards > 10
    ids = [d.id for d in iter_documents(out)]
    assert len(ids) == len(set(ids)) == 120
    assert summary.documents == 120 and not summary.failures


def test_cli_ingest_with_dask_writes_a_parquet_dataset_and_the_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rasd.cli import main

    corpus = _records(tmp_path, 5)
    out, db = tmp_path / "ds", tmp_path / "rasd.db"
    args = ["ingest", str(corpus), "--engine", "dask", "--workers", "1", "--out", str(out), "--db", str(db)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert pq.read_table(out / "documents").num_rows == 5
    from rasd.store import open as open_store

    with open_store(db) as store:
        assert store.counts()["documents"] == 5


def test_cli_refuses_out_without_the_dask_engine(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rasd.cli import main

    res = CliRunner().invoke(main, ["ingest", str(_records(tmp_path, 1)), "--out", str(tmp_path / "ds")])
    assert res.exit_code != 0 and "--engine dask" in res.output


SURUC = [
    (
        "a",
        "alriyadh",
        "قتل 30 شخصا على الأقل وأصيب نحو 100 آخرين في تفجير انتحاري استهدف مركزا ثقافيا في بلدة سروج التركية "
        "أمس الاثنين، وفق ما أعلنت السلطات التركية.",
    ),
    (
        "b",
        "okaz",
        "أسفر تفجير انتحاري في مدينة سروج التركية أمس الاثنين عن مقتل 32 شخصا وإصابة العشرات، بحسب وسائل إعلام تركية.",
    ),
]


def test_one_incident_told_in_two_partitions_ends_in_one_incident(cluster, tmp_path: Path) -> None:
    for name, outlet, text in SURUC:
        part = tmp_path / "in" / name
        part.mkdir(parents=True)
        rec = {"id": name, "source": outlet, "published": "2015-07-21", "text": text}
        (part / f"{name}.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "ds"
    summary = run_to_parquet([tmp_path / "in"], out, scheduler=cluster.scheduler_address)
    assert summary.shards == 2 and summary.events == 2
    incidents = pq.read_table(out / "incidents").to_pylist()
    assert len(incidents) == 1
    [inc] = incidents
    assert (
        inc["n_documents"] == 2 and inc["fatalities"] == 30
    )  # the most conservative figure of the two sources


def test_run_to_parquet_reports_progress_per_shard_then_incidents_issue18(cluster, tmp_path: Path) -> None:
    from rasd.progress import Progress

    path = _records(tmp_path, 40)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    seen: list[Progress] = []
    summary = run_to_parquet(
        [path], tmp_path / "ds", scheduler=cluster.scheduler_address, shard_bytes=2_000, progress=seen.append
    )
    assert summary.shards > 2 and len(summary.failures) == 1
    dask = [p for p in seen if p.task == "dask"]
    assert dask[0].done == 0 and dask[0].total == 41  # counted up front: the lines of the file
    assert (dask[-1].done, dask[-1].failed, dask[-1].finished) == (41, 1, True)
    incidents = [p for p in seen if p.task == "incidents"]
    assert incidents and (incidents[-1].done, incidents[-1].total, incidents[-1].finished) == (40, 40, True)
    assert seen.index(dask[-1]) < seen.index(incidents[0])
