"""What the pages, the report and the command line share: the store, the demo, the evaluation of a
contract as stored (imports + approved exemptions + survey exclusions + linked actions), cached by
the store's data version.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sla_core import exclusions
from sla_core import store as st
from sla_core.contract import Contract
from sla_core.dataset import KINDS, Dataset, Kind
from sla_core.evaluate import Evaluation, evaluate
from sla_core.ingest import IngestResult, read_file, read_tickets, valid_rows_only
from sla_core.ingest.presets import Preset
from sla_core.ingest.shape import ShapeChoice
from sla_core.problems import Issue, error
from sla_core.surveys import Exclusion

ROOT = Path(__file__).resolve().parents[1]
DEMO_USER = "demo"


def db_path() -> Path:
    """The store the app uses: $SLA_DB, else data/sla.duckdb in the project."""
    return Path(os.environ.get("SLA_DB") or ROOT / "data" / "sla.duckdb")


def open_workspace(path: str | Path | None = None) -> st.Store:
    return st.open_store(path or db_path())


def load_demo(store: st.Store, n_tickets: int | None = None, user: str = DEMO_USER) -> str:
    """Store the demo contract and import its ten months of data (one batch per kind)."""
    from sla_core.demo import generate

    demo = generate(n_tickets)
    saved = st.save_contract(store, demo.contract_text, user)
    if saved.contract_id is None:
        raise st.StoreError(saved.issues[0])
    data = demo.dataset()
    for kind in KINDS:
        frame = data.frame(kind)
        if frame is None:
            continue
        st.import_frame(
            store,
            saved.contract_id,
            kind,
            frame,
            file_name=f"demo-{kind}.xlsx",
            sha256=f"demo-{kind}-{n_tickets or 'default'}",
            columns_present=sorted(data.columns[kind]),
            user=user,
        )
    # doc 003: the exclusions in the provider's export count once the client agreed them; the demo's
    # were agreed (不可抗力, 客户原因 "经双方确认免责")
    tickets = data.tickets
    if tickets is not None:
        excluded = tickets.loc[exclusions.export_exclusions(tickets)]
        for tid, reason in zip(excluded["ticket_id"], excluded["exclusion_reason"].fillna(""), strict=True):
            decide_export_exclusion(
                store, saved.contract_id, str(tid), str(reason), "approved", user, "双方确认"
            )
    return saved.contract_id


def decide_export_exclusion(
    store: st.Store, contract_id: str, ticket_id: str, reason: str, decision: str, user: str, why: str = ""
) -> st.Exemption:
    """The client's decision on an exclusion from the provider's export, through the exemption workflow:
    the request is recorded as the export's (asked by `provider_export`), then decided by `user`."""
    request = st.request_exemption(
        store, contract_id, ticket_id, "exempt", reason or "—", exclusions.PROVIDER_EXPORT
    )
    return st.decide_exemption(store, contract_id, request.exemption_id, decision, user, why)


def ensure_demo(store: st.Store) -> None:
    """A new store shows a full dashboard at once: load the demo when no contract is stored."""
    if not st.list_contracts(store):
        load_demo(store)


def dataset_for(store: st.Store, contract_id: str, contract: Contract | None = None) -> Dataset:
    """The imported rows with the exclusions both parties agreed (an exclusion in the provider's export
    is a request until approved, unless the contract accepts them) and the approved exemptions and
    regrades applied on top."""
    data = st.current_dataset(store, contract_id)
    approved = st.list_exemptions(store, contract_id, decision="approved")
    contract = contract or st.load_contract(store, contract_id)
    if contract is not None:
        data = exclusions.settle(contract, data, {e.ticket_id for e in approved if e.kind == "exempt"})
    return st.apply_exemptions(data, approved) if approved else data


def exclusion_register(store: st.Store, contract_id: str) -> pd.DataFrame:
    """Every excluded ticket — from the provider's export or asked in the app — with its reason, who
    asked and who approved (exclusions.register). Shared and read-only: built again only when the data
    version (imports, contract revision) or an exemption changes — the Breaches page asks on every run,
    and reading the imported tickets each time was a sixth of the server's time with twenty people."""
    decisions = {
        e.ticket_id: exclusions.Decision(e.ticket_id, e.decision, e.reason, e.requested_by, e.decided_by)
        for e in st.list_exemptions(store, contract_id)
        if e.kind == "exempt"
    }
    key = (str(store.path), contract_id, st.data_version(store, contract_id), tuple(decisions.items()))
    with _registers_lock:
        found = _registers.get(key)
        if found is not None:
            _registers.move_to_end(key)
            return found
    contract = st.load_contract(store, contract_id)
    if contract is None:
        raise KeyError(contract_id)
    register = exclusions.register(contract, st.current_dataset(store, contract_id).tickets, decisions)
    with _registers_lock:
        _registers[key] = register
        while len(_registers) > 4:
            _registers.popitem(last=False)
    return register


_registers: OrderedDict[tuple[str, str, str, tuple[tuple[str, exclusions.Decision], ...]], pd.DataFrame] = (
    OrderedDict()
)
_registers_lock = threading.Lock()


def action_links(store: st.Store, contract_id: str) -> dict[str, tuple[str, str]]:
    """obligation id → (action id, status), for the obligations' status and linked action."""
    links: dict[str, tuple[str, str]] = {}
    for action in st.list_actions(store, contract_id):
        if action.link_kind == "obligation" and action.link_ref:
            current = links.get(action.link_ref)
            if current is None or current[1] != "done":
                links[action.link_ref] = (str(action.action_id), action.status)
    return links


MAX_SKIP = 0.05  # the command line's --skip-invalid refuses to skip more than this share of the rows


@dataclass(frozen=True)
class ImportReport:
    """One file's import: what ingest found, and the batch stored (None when nothing was stored)."""

    result: IngestResult
    outcome: st.ImportOutcome | None
    skipped: int = 0  # rows with errors left out by "import the valid rows and skip the rest"
    refused: Issue | None = None  # why skipping was refused (too many rows with errors)

    @property
    def stored(self) -> bool:
        return self.outcome is not None and self.outcome.duplicate_of is None


def import_file(
    store: st.Store,
    contract_id: str,
    kind: Kind,
    source: str | Path | bytes,
    *,
    user: str,
    file_name: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    skip_invalid: bool = False,
    result: IngestResult | None = None,
    history: bool = False,
    preset: str | None = None,
    shape: ShapeChoice = "auto",
    read_options: Mapping[str, Any] | None = None,
    max_skip: float | None = None,
) -> ImportReport:
    """Read, validate and store one file as a batch. Errors store nothing unless `skip_invalid`,
    which imports the valid rows and records the skipped ones in the batch's data-quality log — and,
    given `max_skip` (a share), refuses (stores nothing, `refused` says why) when more of the rows would
    be skipped (the Upload page shows the counts and lets the user decide; the command line does not).

    A tickets file is read as one row per ticket or as a status history (one row per status change:
    its tickets are derived and imported as tickets, each one whole — a re-import re-derives it) as the
    file shows; `shape` ("ticket", "history") or `history=True` overrides that. `preset`: the import
    preset's id (None: recognised from the headers; "": none); the contract's own presets count too.
    `read_options`: delimiter, encoding, header_row (`ingest.read_file`)."""
    contract = st.load_contract(store, contract_id)
    if contract is None:
        raise KeyError(contract_id)
    if mapping is None and not history:
        mapping = st.load_mapping(store, contract_id, kind) or None
    if result is None:
        presets = user_presets(store, contract_id)
        options: dict[str, Any] = {
            "file_name": file_name,
            "sheet": sheet,
            "mapping": mapping,
            "preset": preset,
            "presets": presets,
        }
        options.update(read_options or {})
        if kind == "tickets":
            result = read_tickets(source, contract, shape="history" if history else shape, **options)
        else:
            result = read_file(source, kind, contract, **options)
    if result.frame is None or (result.has_errors and not skip_invalid):
        return ImportReport(result, None)
    skipped = len(result.error_rows)
    refused = (
        None if max_skip is None else too_many_skipped(skipped, result.rows_total, max_skip, result.file_name)
    )
    if refused is not None:
        return ImportReport(result, None, skipped, refused)
    valid = valid_rows_only(result) if result.has_errors else result
    if valid.frame is None or valid.frame.empty:
        return ImportReport(result, None, skipped)
    outcome = st.import_frame(
        store,
        contract_id,
        kind,
        valid.frame,
        file_name=result.file_name,
        sha256=result.sha256,
        columns_present=sorted(result.columns_present),
        user=user,
        skipped=[i for i in result.issues if i.level == "error"] if skipped else None,
    )
    if result.mapping and result.history is None and outcome.duplicate_of is None:
        # (the same file again changes nothing, not even the remembered mapping)
        # the batch is stored: a busy store now must not report the import as failed ("busy, retry"
        # for data that landed); the mapping is only remembered for next time
        with contextlib.suppress(st.StoreBusy):
            st.save_mapping(store, contract_id, kind, result.mapping, user)
    return ImportReport(result, outcome, skipped)


def too_many_skipped(skipped: int, rows: int, max_skip: float, file_name: str | None) -> Issue | None:
    """Skipping more than `max_skip` of a file's rows is refused: what is left would not be the file."""
    if not skipped or skipped <= max_skip * rows:
        return None
    share = skipped / max(rows, 1)
    return error(
        "import.too_many_skipped",
        f"{skipped:,} / {rows:,} 行（{share:.1%}）有错误，超过可跳过的 {max_skip:.0%}：未导入任何数据。"
        "请先修正文件（或检查表头、列映射、文件形态是否读对），确需跳过时用 --max-skip 放宽",
        f"{skipped:,} of {rows:,} rows ({share:.1%}) have errors, more than the {max_skip:.0%} that may be "
        "skipped: nothing was stored. Fix the file (or check that its header, mapping and shape were read "
        "right); allow more with --max-skip",
        file=file_name,
        value=f"{share:.4f}",
    )


def user_presets(store: st.Store, contract_id: str) -> list[Preset]:
    """The contract's own import presets (saved from the Upload screen)."""
    out = []
    for data in st.load_presets(store, contract_id):
        try:
            out.append(Preset.from_dict(data))
        except (KeyError, TypeError, ValueError):
            continue  # a preset saved by a newer release: skipped, not fatal
    return out


def import_files(
    store: st.Store,
    contract_id: str,
    files: dict[Kind, Path],
    *,
    user: str,
    skip_invalid: bool = False,
    max_skip: float | None = MAX_SKIP,
    shape: ShapeChoice = "auto",
    sheet: str | None = None,
    read_options: Mapping[str, Any] | None = None,
) -> dict[Kind, ImportReport]:
    return {
        kind: import_file(
            store,
            contract_id,
            kind,
            path,
            user=user,
            skip_invalid=skip_invalid,
            max_skip=max_skip,
            shape=shape,
            sheet=sheet,
            read_options=read_options,
        )
        for kind, path in files.items()
    }


@dataclass(frozen=True)
class Snapshot:
    """One contract's evaluation as stored at one state of the store.

    version: the data version (what a month close records as the data behind its figures);
    key: the evaluation version — the data version and the workflow (actions, closes, exemption
    decisions). Whatever is cached from the evaluation is keyed by `key`."""

    contract: Contract
    data: Dataset
    evaluation: Evaluation
    version: str
    key: str = ""


def versions(store: st.Store, contract_id: str) -> tuple[str, str]:
    """(data version, evaluation version) of a contract, in one read."""
    return st.evaluation_version(store, contract_id)


class _Cache:
    """A small LRU of evaluations (read-only once built), keyed by store, contract, evaluation version
    and as_of."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str, str, float | None], Snapshot] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, str, float | None]) -> Snapshot | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            return None

    def put(self, key: tuple[str, str, str, float | None], value: Snapshot) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_cache = _Cache()


def snapshot(store: st.Store, contract_id: str, as_of: float | None = None) -> Snapshot:
    """The evaluation of a stored contract, recomputed whenever a write changes what it reads: data,
    contract, exemptions, survey exclusions, improvement actions or month closes."""
    version, state = versions(store, contract_id)
    key = (str(store.path), contract_id, state, as_of)
    found = _cache.get(key)
    if found is not None:
        return found
    contract = st.load_contract(store, contract_id)
    if contract is None:
        raise KeyError(contract_id)
    data = dataset_for(store, contract_id, contract)
    exclusions = [
        Exclusion(e.response_id, e.excluded_by, e.reason)
        for e in st.list_survey_exclusions(store, contract_id)
    ]
    frozen = {m.month: m.snapshot for m in st.closed_months(store, contract_id)}
    result = evaluate(
        contract,
        data,
        as_of=as_of,
        exclusions=exclusions,
        actions=action_links(store, contract_id),
        frozen=frozen,
    )
    snap = Snapshot(contract, data, result, version, state)
    _cache.put(key, snap)
    return snap


def closed_month_changes(store: st.Store, contract_id: str) -> list[str]:
    """Closed months whose figures would differ if recomputed from the data as stored now."""
    snap = snapshot(store, contract_id)
    return [m for m, diff in snap.evaluation.closed_differences.items() if diff]
