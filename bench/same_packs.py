"""Are the Excel packs the same before and after a change? For refactors of `sla_core.report`.

    python -m bench.same_packs --before <rev>          # the code at <rev> against the working tree

Both sides write the demo's 2026Q3 pack and 2026-10 report in zh and en (and the Q3 pack without a
store) from the same demo store, with the clock pinned (as of 2026-11-20 12:00, generated 12:30 in
the contract's zone). Each pair is compared cell by cell (value and its type, number format, font,
fill, alignment, border, merged ranges, column widths, row heights, panes, charts, filters) and part
by part (every file in the .xlsx zip but docProps/core.xml, which holds the creation time). Prints
each difference; exit 1 when any.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
PACKS = [("2026Q3", "zh", True), ("2026Q3", "en", True), ("2026-10", "zh", True), ("2026-10", "en", True)]
PACKS += [("2026Q3", "zh", False), ("2026Q3", "en", False)]

# Run by each side's interpreter with that side's code first on sys.path.
WRITER = """
import shutil, sys
from datetime import datetime
root, db, out = sys.argv[1:4]
sys.path.insert(0, root)
import sla_core
assert sla_core.__file__.startswith(root), sla_core.__file__
from sla_core import store as st, workspace
from sla_core.evaluate import parse_as_of
from sla_core.report import write_report
shutil.copy(db, out + "/store.duckdb")
store = workspace.open_workspace(out + "/store.duckdb")
contract = st.load_contract(store, "demo-helpdesk")
snap = workspace.snapshot(store, "demo-helpdesk", parse_as_of("2026-11-20T12:00", contract))
at = datetime(2026, 11, 20, 12, 30, tzinfo=contract.zone)
try:  # since issue 20 the report reads the store through a Guard; before, from the store itself
    from sla_core.access import LOCAL, Guard
    reader = {"guard": Guard(store, LOCAL)} if "guard" in write_report.__code__.co_varnames else None
except ImportError:
    reader = None
reader = reader or {"store": store}
for period, lang, with_store in PACKS:
    name = f"{out}/{period}-{lang}{'' if with_store else '-nostore'}.xlsx"
    write_report(name, snap, period, lang, **(reader if with_store else {}), generated_at=at)
"""


def _checkout(rev: str, into: Path) -> Path:
    """The sla_core package at `rev`, unpacked under `into`."""
    data = subprocess.run(
        ["git", "archive", rev, "sla_core"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _write(root: Path, db: Path, out: Path) -> None:
    out.mkdir(parents=True)
    code = f"PACKS = {PACKS!r}\n" + WRITER
    subprocess.run([sys.executable, "-c", code, str(root), str(db), str(out)], check=True, cwd=out)


def _cell_differences(a_path: Path, b_path: Path) -> list[str]:
    a, b = load_workbook(a_path), load_workbook(b_path)
    diffs = [] if a.sheetnames == b.sheetnames else [f"sheets {a.sheetnames} != {b.sheetnames}"]
    for name in (n for n in a.sheetnames if n in b.sheetnames):
        sa, sb = a[name], b[name]
        for r in range(1, max(sa.max_row, sb.max_row) + 1):
            for c in range(1, max(sa.max_column, sb.max_column) + 1):
                ca, cb = sa.cell(r, c), sb.cell(r, c)
                where = f"{name}!{ca.coordinate}"
                if ca.value != cb.value or type(ca.value) is not type(cb.value):
                    diffs.append(f"{where} value {ca.value!r} != {cb.value!r}")
                if ca.number_format != cb.number_format:
                    diffs.append(f"{where} format {ca.number_format!r} != {cb.number_format!r}")
                for style in ("font", "fill", "alignment", "border"):
                    if repr(getattr(ca, style)) != repr(getattr(cb, style)):
                        diffs.append(f"{where} {style} differs")
        sheet_facts: list[tuple[str, Any, Any]] = [
            ("merged", sorted(map(str, sa.merged_cells.ranges)), sorted(map(str, sb.merged_cells.ranges))),
            ("widths", _dims(sa.column_dimensions, "width"), _dims(sb.column_dimensions, "width")),
            ("heights", _dims(sa.row_dimensions, "height"), _dims(sb.row_dimensions, "height")),
            ("panes", sa.freeze_panes, sb.freeze_panes),
            ("charts", len(sa._charts), len(sb._charts)),
            ("filter", str(sa.auto_filter.ref), str(sb.auto_filter.ref)),
        ]
        diffs += [f"{name} {what} {x} != {y}" for what, x, y in sheet_facts if x != y]
    return diffs


def _dims(dimensions: Any, attr: str) -> dict[Any, Any]:
    return {key: getattr(d, attr) for key, d in dimensions.items() if getattr(d, attr)}


def _part_differences(a_path: Path, b_path: Path) -> list[str]:
    with zipfile.ZipFile(a_path) as a, zipfile.ZipFile(b_path) as b:
        names_a, names_b = set(a.namelist()), set(b.namelist())
        diffs = [f"part {n} in one only" for n in sorted(names_a ^ names_b)]
        shared = sorted((names_a & names_b) - {"docProps/core.xml"})
        return diffs + [f"part {n} differs" for n in shared if a.read(n) != b.read(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--before", required=True, help="the git revision to compare the working tree with")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same_packs_") as tmp:
        work = Path(tmp)
        before = _checkout(args.before, work / "before")
        db = work / "demo.duckdb"
        setup = "import sys; sys.path.insert(0, sys.argv[1]); from sla_core import workspace; "
        setup += "workspace.load_demo(workspace.open_workspace(sys.argv[2]), None)"
        subprocess.run([sys.executable, "-c", setup, str(before), str(db)], check=True, cwd=work)
        _write(before, db, work / "out-before")
        _write(ROOT, db, work / "out-after")
        failed = 0
        for period, lang, with_store in PACKS:
            name = f"{period}-{lang}{'' if with_store else '-nostore'}.xlsx"
            a, b = work / "out-before" / name, work / "out-after" / name
            diffs = _cell_differences(a, b) + _part_differences(a, b)
            cells = sum(ws.max_row * ws.max_column for ws in load_workbook(a).worksheets)
            print(
                f"{name}: {len(load_workbook(a).sheetnames)} sheets, {cells:,} cells: {len(diffs)} differences"
            )
            for line in diffs[:50]:
                print("   ", line)
            failed += bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
