"""`rasd extract`: records on stdout in input order; one-line errors on stderr, exit codes, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rasd
from rasd.cli import main
from rasd.document import Document
from rasd.pipeline import FunctionStage, Pipeline, build_pipeline

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "000_fbd8113b0bef9d78.txt"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def text_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the text stages: tests of the command's own behaviour (I/O, options, errors) do not depend on the
    recognisers. The seed and gold-contract tests below run the real default pipeline."""
    monkeypatch.setattr(rasd, "default_pipeline", lambda: build_pipeline(["normalize", "segment", "langid"]))


def test_seed_record() -> None:
    result = run("extract", str(SEED))
    assert result.exit_code == 0, result.stderr
    (rec,) = records(result.stdout)
    assert rec["id"] == "000_fbd8113b0bef9d78"
    assert rec["author"] == "غرفة عمليات دحر الغزاة"
    assert rec["published"] == "2018-02-13"
    assert rec["views"] == 204
    assert rec["language"] == "ar"
    assert "events" in rec and isinstance(rec["events"], list)
    assert [s["name"] for s in rec["sections"]] == ["title", "header", "body", "statement"]
    assert rec["text"] == SEED.read_text(encoding="utf-8")
    statement = rec["sections"][3]
    assert rec["text"][statement["start"] : statement["end"]].startswith("## بيان")
    assert result.stderr == ""


def test_gold_contract_jsonl_in_order() -> None:
    """`rasd extract --input-format jsonl FILE.jsonl --format jsonl`: one line per record, in order, id + events."""
    src = ROOT / "examples" / "news.jsonl"
    result = run("extract", "--input-format", "jsonl", str(src), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    recs = records(result.stdout)
    expected = [json.loads(line)["id"] for line in src.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == expected
    assert all("events" in r for r in recs)


def test_no_text_and_mentions_flags(text_pipeline: None) -> None:
    result = run("extract", "--no-text", "--mentions", str(SEED))
    (rec,) = records(result.stdout)
    assert "text" not in rec
    assert "mentions" in rec


def test_json_array_format(text_pipeline: None) -> None:
    result = run("extract", "-f", "json", str(DATA / "page_cp1256.txt"), str(DATA / "page_bom.txt"))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["page_cp1256", "page_bom"]


def test_published_default(text_pipeline: None) -> None:
    result = run("extract", "--published", "2015-08-15", "--no-text", str(DATA / "mixed.jsonl"))
    by_id = {r["id"]: r for r in records(result.stdout)}
    assert by_id["mixed#4"]["published"] == "2015-08-15"
    assert by_id["snn-aawsat-snn-13255"]["published"] == "2015-07-31"


def test_output_file(tmp_path: Path, text_pipeline: None) -> None:
    out = tmp_path / "out.jsonl"
    result = run("extract", "-o", str(out), str(SEED))
    assert result.exit_code == 0 and result.stdout == ""
    assert records(out.read_text(encoding="utf-8"))[0]["id"] == "000_fbd8113b0bef9d78"


def test_stdin(text_pipeline: None) -> None:
    result = run("extract", "--no-text", "-", input=SEED.read_bytes())
    (rec,) = records(result.stdout)
    assert rec["id"].startswith("sha256-")
    assert rec["author"] == "غرفة عمليات دحر الغزاة"


# --- error paths ----------------------------------------------------------------------------------------


def test_bad_jsonl_lines_reported_with_line_numbers_others_processed(text_pipeline: None) -> None:
    result = run("extract", "--no-text", str(DATA / "mixed.jsonl"))
    assert result.exit_code == 2
    assert [r["id"] for r in records(result.stdout)] == [
        "snn-aawsat-snn-13255",
        "mixed#4",
        "snn-was-snn-30992",
    ]
    lines = result.stderr.splitlines()
    assert lines[0].startswith("rasd: error: RASD104 ")
    assert "mixed.jsonl:2: not valid JSON" in lines[0]
    assert "mixed.jsonl:5:" in lines[1]
    assert "mixed.jsonl:6:" in lines[2]
    assert "3 input(s) or record(s) failed" in lines[-1]
    assert "Traceback" not in result.stderr


def test_missing_file() -> None:
    result = run("extract", str(SEED), "nowhere/missing.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "rasd: error: RASD101 nowhere/missing.txt: no such file or directory\n"


def test_binary_file(tmp_path: Path, text_pipeline: None) -> None:
    path = tmp_path / "photo.txt"
    shutil.copy(DATA / "binary.txt", path)
    result = run("extract", str(path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "RASD103" in result.stderr and "photo.txt" in result.stderr and "binary" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown output format 'xml'"),
        (["--input-format", "pdf"], "unknown input format 'pdf'"),
        (["--published", "2018-13-01"], "--published '2018-13-01' is not a date"),
    ],
)
def test_bad_options(args: list[str], message: str) -> None:
    result = run("extract", *args, str(SEED))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stdout == ""


def test_pipeline_failure_still_prints_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(doc: Document) -> Document:
        if doc.id == "mixed#4":
            raise KeyError("kaboom")
        return doc

    monkeypatch.setattr(rasd, "default_pipeline", lambda: Pipeline([FunctionStage("boom", boom)]))
    result = run("extract", "--no-text", str(DATA / "mixed.jsonl"))
    recs = records(result.stdout)
    assert [r["id"] for r in recs] == ["snn-aawsat-snn-13255", "mixed#4", "snn-was-snn-30992"]
    assert recs[1]["flags"] == ["bad_published", "extract_failed"] and recs[1]["events"] == []
    assert result.exit_code == 3  # the worst failure decides: extraction (3) over a bad record (2)
    (line,) = [x for x in result.stderr.splitlines() if "RASD300" in x]
    assert "mixed#4" in line and "KeyError" in line and "--debug" in line
    assert "Traceback" not in result.stderr


def test_help_and_version() -> None:
    assert "--input-format" in run("extract", "--help").stdout
    assert run("--version").stdout.startswith("rasd, version ")


def test_console_script_no_traceback_and_debug(tmp_path: Path) -> None:
    """The installed entry point: a one-line error without --debug, the traceback with it."""
    entry = [sys.executable, "-c", "from rasd.cli import main; main(prog_name='rasd')"]
    cmd = [*entry, "extract", str(tmp_path / "missing.jsonl")]
    plain = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert plain.returncode == 2
    assert plain.stderr.strip().splitlines() == [
        f"rasd: error: RASD101 {tmp_path / 'missing.jsonl'}: no such file or directory"
    ]
    debug = subprocess.run([*entry, "--debug", *cmd[3:]], capture_output=True, text=True, check=False)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_extract_output_file_is_atomic_issue10(tmp_path: Path) -> None:
    """Regression for #10: `rasd extract -o FILE` writes through a partial file renamed into place."""
    src = tmp_path / "a.txt"
    src.write_text("قتل ثلاثة مدنيين في قصف على مدينة إدلب أمس", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").count("\n") == 1
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "missing" / "out.jsonl")])
    assert res.exit_code == 2 and "RASD800" in res.output and "Traceback" not in res.output
