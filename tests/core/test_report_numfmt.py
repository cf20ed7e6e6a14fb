"""Numbers as the report's Excel formats show them (what the PDF prints and column widths measure)."""

from __future__ import annotations

import pytest

from sla_core.report.numfmt import render


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (0.95, '"≥ "0%', "≥ 95%"),
        (0.99895, "0.00%", "99.90%"),  # half away from zero, as Excel rounds
        (0.0123, '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"', "+0.0 个百分点"),
        (
            1.25,
            '+0.0" percentage points";-0.0" percentage points";0.0" percentage points"',
            "+1.3 percentage points",
        ),
        (-0.44, '+0.00" 个百分点";-0.00" 个百分点";0.00" 个百分点"', "-0.44 个百分点"),
        (0.0, "+0.00;-0.00;0.00", "0.00"),
        (7944480, '#,##0" 秒"', "7,944,480 秒"),
        (-44.67, '+#,##0.0" min";-#,##0.0" min";0.0', "-44.7 min"),
        (60000, '"¥"#,##0.00', "¥60,000.00"),
        (46234.5, "yyyy-mm-dd", "2026-07-31"),
        (46234.25, "yyyy-mm-dd hh:mm", "2026-07-31 06:00"),
        (1 + 4 / 24 + 8 / 1440 + 41 / 86400, "[h]:mm:ss", "28:08:41"),
        (15 / 1440, "[h]:mm", "0:15"),
        (1.0, "[h]:mm", "24:00"),
        (2.5, "General", "2.5"),
        (3.0, "General", "3"),
        (-1.25, "0.0", "-1.3"),
    ],
)
def test_render(value: float, fmt: str, shown: str) -> None:
    assert render(value, fmt) == shown
