"""The progress display of `rasd ingest` / `rasd extract` / `rasd export` (issue 18): on a terminal it updates
during the run; with stderr a pipe, or --quiet, there is none; it never goes into the data on stdout.

The terminal is a real pseudo-terminal (``pty``) given a window size, the command a real subprocess running
the default pipeline over a corpus generated here from the bundled examples (examples/news.jsonl).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "news.jsonl"
RASD = [sys.executable, "-c", "from rasd.cli import main; main()"]
# one frame of the bar: "ingest:  41%|████▏     | 130/316 [00:09<00:13, 14.1doc/s, failed 1]"
FRAME = re.compile(r"(\w+):\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[[^\]]*failed (\d+)\]")

pytestmark = pytest.mark.slow


def _corpus(tmp_path: Path, copies: int) -> tuple[Path, int]:
    """``copies`` renamed copies of the example articles, and one line that is not JSON (a failure)."""
    records = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [
        json.dumps(dict(rec, id=f"{rec['id']}-{k}"), ensure_ascii=False)
        for k in range(copies)
        for rec in records
    ]
    lines.insert(len(lines) // 2, "{not json")
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines)


def _run_on_terminal(args: list[str], *, stdout_too: bool = False) -> tuple[str, bytes, int]:
    """Run ``rasd args`` with stderr (and stdout if ``stdout_too``) on a 100x30 pseudo-terminal, stdout
    otherwise a pipe; returns (what the terminal got, stdout, exit status)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        RASD + args,
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_too else subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        close_fds=True,
    )
    os.close(slave)
    out: list[bytes] = []
    drain = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else b""))
    drain.start()  # a pipe nobody reads would block the child once full
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 600)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every process holding the terminal has closed it
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=60)
    drain.join(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace"), b"".join(out), code


def _frames(terminal: str, task: str) -> list[tuple[int, int, int]]:
    """(done, total, failed) of each frame of ``task``'s bar drawn on the terminal."""
    return [
        (int(m[2]), int(m[3]), int(m[4]))
        for part in terminal.split("\r")
        for m in FRAME.finditer(part)
        if m[1] == task
    ]


def test_ingest_display_updates_on_a_terminal_and_not_on_a_pipe_issue18(tmp_path: Path) -> None:
    corpus, n = _corpus(tmp_path, copies=5)  # 225 articles + 1 bad line
    terminal, stdout, code = _run_on_terminal(
        ["ingest", str(corpus), "--db", str(tmp_path / "a.db"), "--json"]
    )
    assert code == 1, terminal[-2000:]  # the bad line failed; the rest is stored
    assert json.loads(stdout)["new"] == n - 1  # stdout holds the JSON summary and nothing else
    frames = _frames(terminal, "ingest")
    assert frames, terminal[-2000:]
    assert {total for _, total, _ in frames} == {n}  # total known up front (lines of the JSON Lines file)
    during = sorted({done for done, _, _ in frames if 0 < done < n})
    assert len(during) >= 2, frames  # the display updated at least twice during the run
    assert frames[-1] == (n, n, 1)  # it ends complete, with the failure counted
    assert [f for _, _, f in frames] == sorted(f for _, _, f in frames)
    assert terminal.endswith("\n")  # the bar is closed: whatever follows starts on its own line

    # the same ingest with stderr a pipe (a log file, CI): no display, only the summary
    piped = subprocess.run(
        [*RASD, "ingest", str(corpus), "--db", str(tmp_path / "b.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert piped.returncode == 1
    assert "\r" not in piped.stderr and not FRAME.search(piped.stderr) and "doc/s" not in piped.stderr
    assert f"{n - 1} document(s) read" in piped.stderr
    assert piped.stdout == ""

    # --quiet on a terminal: no display either (a rerun: everything skipped, the bar would still be drawn)
    terminal, _, code = _run_on_terminal(["ingest", str(corpus), "--db", str(tmp_path / "a.db"), "--quiet"])
    assert not _frames(terminal, "ingest") and "skipped (unchanged)" in terminal


def test_extract_display_on_stderr_when_records_go_to_a_pipe_issue18(tmp_path: Path) -> None:
    corpus, n = _corpus(tmp_path, copies=1)
    terminal, stdout, code = _run_on_terminal(["extract", str(corpus), "--no-text"])
    assert code == 2  # the bad line
    records = [json.loads(line) for line in stdout.decode("utf-8").splitlines()]
    assert len(records) == n - 1  # stdout: the records only, every line JSON
    frames = _frames(terminal, "extract")
    assert frames and frames[-1] == (n, n, 1), terminal[-2000:]
    assert "RASD104" in terminal  # the error line is printed above the bar, not lost


def test_extract_no_display_when_records_go_to_the_terminal(tmp_path: Path) -> None:
    corpus, _ = _corpus(tmp_path, copies=1)
    # stdout and stderr on the same terminal: a bar would tear the records apart
    terminal, _, code = _run_on_terminal(["extract", str(corpus), "--no-text"], stdout_too=True)
    assert code == 2 and terminal.count('"id": "snn-') >= 45  # the records reached the terminal
    assert not _frames(terminal, "extract")


def test_export_progress_flag_draws_on_stderr_only(tmp_path: Path) -> None:
    corpus, _ = _corpus(tmp_path, copies=1)
    db = tmp_path / "r.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "--no-progress"]).exit_code == 1
    res = runner.invoke(main, ["export", "--db", str(db), "-f", "jsonl", "-o", "-", "--progress"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    frames = _frames(res.stderr, "export")
    assert rows and frames and frames[-1][:2] == (len(rows), len(rows))  # total: the store's event count
