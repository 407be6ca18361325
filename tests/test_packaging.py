"""`pip install .` ships every data file the package reads at run time (language data, gazetteer, actors,
models, web assets): a wheel built from this tree holds every non-Python file under src/rasd."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "rasd"

pytestmark = pytest.mark.slow


def _data_files() -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", "src/rasd"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode != 0 or not out.stdout.strip():
        pytest.skip("not a git checkout: cannot list the tracked package files")
    files = {line[len("src/") :] for line in out.stdout.splitlines() if not line.endswith(".py")}
    return {f for f in files if (ROOT / "src" / f).exists()}


def build_wheel(dest: Path) -> subprocess.CompletedProcess[str]:
    """``pip wheel`` of this tree into ``dest``, offline: no dependencies, no build isolation."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dest),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_contains_every_package_data_file(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    build = build_wheel(tmp_path)
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = list(tmp_path.glob("rasd-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(_data_files() - names)
    assert not missing, f"package data left out of the wheel: {missing[:10]}"
