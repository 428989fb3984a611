"""The shipped modules and the starter template are found when installed from a wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("trainer-*.whl")
    return built


def test_the_wheel_holds_the_modules_and_the_template(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (ROOT / "modules").glob("*.toml"))
    assert shipped, "modules/ has modules"
    for name in shipped:
        assert f"trainer/_modules/{name}" in names
    assert "trainer/content/starter.toml" in names
    assert "trainer/cohort/templates/report.html.j2" in names


def test_modules_are_listed_from_an_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path / "home")}
    env.pop("TRAINER_MODULES", None)
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "modules"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert str(site / "trainer" / "_modules") in result.stdout


def test_a_report_is_written_from_an_unpacked_wheel(wheel, tmp_path):
    """The report's template is package data: found beside the code, wherever it is installed."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    saves = tmp_path / "saves"
    saves.mkdir()
    target = tmp_path / "report.html"
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "report", "--saves", str(saves), "-o", str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert "<h1>Cohort report</h1>" in html and "No saves were found." in html
    probe = subprocess.run(
        [sys.executable, "-c", "import trainer.cohort.report_page as r; print(r.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert probe.stdout.strip().startswith(str(site)), probe.stdout + probe.stderr
