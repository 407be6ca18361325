"""A fresh install prints no warning about rasd's dependencies (issue 18).

`pip install .` used to print ``WARNING: lxml 6.2.1 does not provide the extra 'html_clean'``: justext (needed
by trafilatura) asks for ``lxml[html_clean]``, lxml >= 6 publishes the extra under its PEP 685 normalised
name ``html-clean``, and pip before 23.3 compares the two names unnormalised. The quick start therefore
creates its virtualenv with ``--upgrade-deps`` (a pip that normalises extras), and pyproject pins lxml and
lxml_html_clean directly. This test does what the quick start does, in a fresh virtualenv, from a wheel built
here (no build isolation: nothing to fetch for the build), with the packages from the usual index or pip's
cache, and fails on any warning.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_packaging import build_wheel

ROOT = Path(__file__).resolve().parents[1]

# This machine's pip.conf names local mirror folders that exist for some packages only; pip warns about
# each missing one. That is the machine's configuration, not a dependency of rasd.
MACHINE_NOISE = re.compile(r"WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.")
WARNING = re.compile(r"warning", re.IGNORECASE)


def dependency_warnings(output: str) -> list[str]:
    """The lines of pip's output that warn about something, other than this machine's mirror settings."""
    return [line for line in output.splitlines() if WARNING.search(line) and not MACHINE_NOISE.search(line)]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("WARNING: lxml 6.2.1 does not provide the extra 'html_clean'", True),
        ("ERROR: pip's dependency resolver does not currently take into account ... WARNING", True),
        ("  BuildBackendWarning: `project.license` as a TOML table is deprecated", True),
        (
            "WARNING: Location 'file:///opt/pypi-more/simple/pytz/' is ignored: it is neither a file nor a "
            "directory.",
            False,
        ),
        ("Successfully installed lxml-6.2.1 rasd-0.1.0", False),
    ],
)
def test_dependency_warnings_filter_issue18(line: str, flagged: bool) -> None:
    assert bool(dependency_warnings(line)) is flagged


def _run(cmd: list[str], cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout, stdin=subprocess.DEVNULL
    )


def test_quick_start_installs_with_a_pip_that_normalises_extras_issue18() -> None:
    quick_start = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1]
    assert quick_start.startswith("python3 -m venv --upgrade-deps .venv && .venv/bin/pip install -q . ")
    assert "-m venv --upgrade-deps .venv" in (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")


@pytest.mark.slow
def test_fresh_install_prints_no_dependency_warning_issue18(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    wheels = tmp_path / "wheels"
    build = build_wheel(wheels)
    assert build.returncode == 0, build.stderr[-2000:]
    warned = dependency_warnings(build.stdout + build.stderr)
    assert not warned, warned
    [wheel] = list(wheels.glob("rasd-*.whl"))

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--upgrade-deps", str(venv)])  # as in the README's quick start
    if made.returncode != 0:
        if "No matching distribution" in made.stderr or "Could not fetch" in made.stderr:
            pytest.skip(f"no package index or pip cache to upgrade pip from: {made.stderr[-300:]}")
        pytest.fail(made.stderr[-2000:])
    pip = venv / "bin" / "pip"
    installed = _run([str(pip), "install", "--disable-pip-version-check", str(wheel)])
    output = installed.stdout + installed.stderr
    if installed.returncode != 0 and "No matching distribution" in output:
        pytest.skip(
            f"the dependencies cannot be fetched here (no index, not in pip's cache): {output[-300:]}"
        )
    assert installed.returncode == 0, output[-3000:]
    assert not dependency_warnings(output), dependency_warnings(output)
    # the install works: the command starts and the reader that needs lxml + lxml_html_clean imports
    check = _run(
        [str(venv / "bin" / "python"), "-c", "import lxml_html_clean, trafilatura, rasd.readers.html"]
    )
    assert check.returncode == 0, check.stderr[-2000:]
    version = _run([str(venv / "bin" / "rasd"), "--version"])
    assert version.returncode == 0 and "rasd" in version.stdout, version.stderr[-2000:]
