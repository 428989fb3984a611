"""A CSV row's cells made safe at once (`safe_cells`) are those made one by one (`safe_cell`).

A row of printable ASCII skips the search for characters to escape and looks only at each
cell's first character; any other row goes cell by cell. Either way the cells are the same.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.cohort.exporters import safe_cell, safe_cells

CELLS = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=6),
        st.sampled_from(["", "=1+2", "+44", "-3", "@home", "\tx", "\rx", "a\nb", "\x1b[31m"]),
        st.text(max_size=4),
    ),
    max_size=8,
)


def test_formula_starts_are_quoted_in_a_plain_row() -> None:
    row = ["=SUM(A1)", "+1", "-1", "@x", "plain", "", "0.5"]
    assert safe_cells(row) == ["'=SUM(A1)", "'+1", "'-1", "'@x", "plain", "", "0.5"]


def test_a_row_with_a_control_character_is_escaped_cell_by_cell() -> None:
    row = ["=1", "\x1b[31mred", "caf\u00e9", "\tlead"]
    assert safe_cells(row) == [safe_cell(cell) for cell in row]
    assert safe_cells(row)[1] == "\\x1b[31mred"


@settings(max_examples=500, deadline=None)
@given(cells=CELLS)
def test_any_row_is_made_safe_as_its_cells_are(cells: list[str]) -> None:
    assert safe_cells(cells) == [safe_cell(cell) for cell in cells]
