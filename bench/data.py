"""The benchmark's input data, made with the demo generator and cached under bench/out/data/n<size>/.

- `year.pkl`: `demo.generate(n, months=YEAR)` — a year of tickets, surveys (~40% of the resolved
  tickets answer), outages and measures; what the calendar, KPI and report stages work on;
- `xlsx/tickets.xlsx`, `csv/tickets.csv`: that year written by `demo.write_files` as a Chinese
  helpdesk exports it (Chinese headers and values; the CSV in UTF-8 with a BOM);
- `demo.duckdb`: a store loaded with `workspace.load_demo(store, n_tickets=n)` (January–October), what
  the app shows;
- `year.duckdb`: a store holding the year (`year.pkl` imported batch by batch, as load_demo does).

A cache is rebuilt when the generator, the example contract or the store schema changes (a
fingerprint of those files sits beside it).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import OUT, code_root

if TYPE_CHECKING:
    from sla_core.demo import DemoData

YEAR = ("2026-01", "2026-12")
FINGERPRINT_FILES = (
    "sla_core/demo",
    "sla_core/data/contract.example.toml",
    "sla_core/sql/store/migrations",
)
ITEMS = ("year", "xlsx", "csv", "demo_store", "year_store")


def data_dir(size: int) -> Path:
    return OUT / "data" / f"n{size}"


def fingerprint() -> str:
    h = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        path = code_root() / name
        files = (
            sorted(f for f in path.rglob("*") if "__pycache__" not in f.parts) if path.is_dir() else [path]
        )
        for f in files:
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _fresh(size: int) -> Path:
    """The size's cache directory, emptied when the fingerprint changed."""
    d = data_dir(size)
    stamp = d / "fingerprint.json"
    fp = fingerprint()
    if d.exists():
        try:
            known = json.loads(stamp.read_text())["fingerprint"]
        except (OSError, ValueError, KeyError):
            known = None
        if known != fp:
            shutil.rmtree(d)
    d.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"fingerprint": fp, "size": size}))
    return d


def path_of(size: int, item: str) -> Path:
    d = data_dir(size)
    return {
        "year": d / "year.pkl",
        "xlsx": d / "xlsx" / "tickets.xlsx",
        "csv": d / "csv" / "tickets.csv",
        "demo_store": d / "demo.duckdb",
        "year_store": d / "year.duckdb",
    }[item]


def load_year(size: int) -> DemoData:
    with path_of(size, "year").open("rb") as f:
        return pickle.load(f)


def prepare(size: int, items: list[str]) -> dict[str, str]:
    """Make the items that are missing; return item → path."""
    _fresh(size)
    made: dict[str, str] = {}
    for item in items:
        path = path_of(size, item)
        if not path.exists():
            _make(size, item, path)
        made[item] = str(path)
    return made


def _make(size: int, item: str, path: Path) -> None:
    from sla_core import demo, workspace

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if item == "year":
        data = demo.generate(size, months=YEAR)
        with tmp.open("wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    elif item in ("xlsx", "csv"):
        prepare(size, ["year"])
        files = demo.write_files(load_year(size), path.parent, lang="zh", fmt=item)
        for kind, p in files.items():
            if kind not in ("tickets", "contract"):
                p.unlink()  # only the ticket file is read by the stages
    elif item == "demo_store":
        _remove_store(tmp)
        store = workspace.open_workspace(tmp)
        workspace.load_demo(store, n_tickets=size)
        _move_store(tmp, path)
    elif item == "year_store":
        prepare(size, ["year"])
        _remove_store(tmp)
        _year_store(size, tmp)
        _move_store(tmp, path)


def _year_store(size: int, path: Path) -> None:
    """The year imported as load_demo imports its ten months: the contract, then one batch per kind."""
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.dataset import KINDS

    data = load_year(size)
    store = workspace.open_workspace(path)
    saved = st.save_contract(store, data.contract_text, "bench")
    assert saved.contract_id is not None, saved.issues
    dataset = data.dataset()
    for kind in KINDS:
        frame = dataset.frame(kind)
        if frame is None:
            continue
        st.import_frame(
            store,
            saved.contract_id,
            kind,
            frame,
            file_name=f"bench-{kind}.xlsx",
            sha256=f"bench-{kind}-{size}",
            columns_present=sorted(dataset.columns[kind]),
            user="bench",
        )


def _store_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + ".wal")]


def _remove_store(path: Path) -> None:
    for p in _store_files(path):
        p.unlink(missing_ok=True)
    backups = path.parent / "backups"
    if backups.exists():
        shutil.rmtree(backups)


def _move_store(tmp: Path, path: Path) -> None:
    for src, dst in zip(_store_files(tmp), _store_files(path), strict=True):
        if src.exists():
            src.replace(dst)


def copy_store(path: Path, dest_dir: Path) -> Path:
    """A private copy of a cached store (the app and the report may write to theirs)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / path.name
    for src, dst in zip(_store_files(path), _store_files(dest), strict=True):
        if src.exists():
            shutil.copyfile(src, dst)
    return dest
