"""The report in a real browser: the system's headless Chromium through Playwright (never a
downloaded browser), at a desktop's width and a phone's, and as it prints: no horizontal
overflow, every section there, and each learner's link leading to their answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cohort.conftest import FORMAT2, LEARNERS, write_hostile_cohort, write_two_modules
from tests.web.browser import launched_chromium
from trainer.cli import main

WIDTHS = [1280, 420]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system, through Playwright; no browser download."""
    yield from launched_chromium()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    made = {}
    for name, saves in {
        "two-modules": write_two_modules(folder / "two-modules"),
        "hostile": write_hostile_cohort(folder / "hostile"),
    }.items():
        target = folder / f"{name}.html"
        argv = ["report", "--saves", str(saves), "--modules", str(FORMAT2.parent)]
        assert main([*argv, "-o", str(target)]) == 0
        made[name] = target
    return made


def overflow(page) -> list[str]:
    """The page's width beyond the window's, and the elements that stick out, if any."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width) {
            out.push('page ' + document.documentElement.scrollWidth + ' > ' + width);
          }
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.right > width + 0.5) out.push(e.tagName + ' ' + (e.textContent || '').slice(0, 60));
          }
          return out.slice(0, 10);
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_fits_the_window_with_every_section(browser, reports, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(reports["two-modules"].as_uri())
        assert overflow(page) == []
        assert page.locator("h2").count() == 2  # one section per module
        cohorts = page.locator("h3[id]").all_inner_texts()
        assert [text.split(" ")[:2] for text in cohorts] == [["Cohort", "autumn"], ["Cohort", "spring"]] * 2
        tables = page.locator("h3:text-is('Learners') + p + table")
        assert tables.count() == 2
        names = page.locator("table.stack td[data-label='Learner'] a").all_inner_texts()
        assert sorted(set(names)) == sorted(LEARNERS)  # each learner, in the tables
        assert page.locator("svg rect").count() > 50
        # A name in the table leads to that learner's answers, in view.
        link = page.locator("table.stack td[data-label='Learner'] a", has_text="Łukasz Żółw-Brzęczyszczykiewicz").last
        link.click()
        anchor = page.evaluate("location.hash")
        target = page.locator(anchor)
        assert "Łukasz Żółw-Brzęczyszczykiewicz" in target.inner_text()
        box = target.bounding_box()
        assert box is not None and -1 <= box["y"] < 900  # scrolled to the top, give or take
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_at_a_phones_width_tables_of_learners_become_records(browser, reports, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(reports["two-modules"].as_uri())
        header = page.locator("table.stack tr.head").first
        cell = page.locator("table.stack td[data-label='Cohort']").first
        display = cell.evaluate("e => getComputedStyle(e).display")
        label = cell.evaluate("e => getComputedStyle(e, '::before').content")
        if width < 768:
            assert not header.is_visible() and display == "block" and label == '"Cohort: "'
        else:
            assert header.is_visible() and display == "table-cell"
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_hostile_saves_do_not_break_the_layout(browser, reports, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(reports["hostile"].as_uri())
        assert overflow(page) == []
        assert page.evaluate("document.scripts.length") == 0
        assert "Mallory <script>alert(1)</script>" in page.locator("body").inner_text()
    finally:
        page.close()


def test_the_report_prints_on_a4_without_overflow(browser, reports, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(reports["two-modules"].as_uri())
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 680, "height": 1000})  # A4 less 15 mm margins
        assert overflow(page) == []
        modules = page.locator("h2")
        assert modules.nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"
        header = page.locator("table.stack tr.head").first
        assert header.is_visible()  # a table on paper, never records
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    finally:
        page.close()
