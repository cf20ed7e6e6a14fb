"""The value rules of tickets and status events: priorities (by label or id, or the contract's
default), statuses and their meaning, categories, milestones in order, duplicate ticket ids."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sla_core.contract import CATEGORIES, Terms
from sla_core.dataset import TIMESTAMP
from sla_core.ingest.collect import row_values
from sla_core.ingest.rules_context import Context, duplicates, label_key
from sla_core.ingest.synonyms import COLUMN_LABELS, normalize
from sla_core.ingest.values import Cells

MILESTONES = ("first_response_at", "workaround_at", "resolved_at", "closed_at", "classified_at")


def tickets(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> set[str]:
    report = ctx.report
    added: set[str] = set()
    _priorities(frame, columns, ctx)
    if "priority" not in frame and ctx.terms.contract.default_priority:
        frame["priority"] = pd.Series(ctx.terms.contract.default_priority, index=frame.index, dtype="string")
        added.add("priority")
        report.add(
            "warning",
            "ingest.default_priority",
            f"文件没有优先级列：所有工单按合同的默认优先级 {ctx.terms.contract.default_priority} 计",
            "the file has no priority column: every ticket takes the contract's default priority "
            f"{ctx.terms.contract.default_priority}",
            value=ctx.terms.contract.default_priority,
        )
    if "category" in frame:
        header, _ = columns["category"]
        raw = frame["category"]
        frame["category_raw"] = raw
        frame["category"], unmapped = categories(raw, ctx.terms)
        added.add("category_raw")
        if unmapped:
            listed = "、".join(unmapped[:30]) + (" …" if len(unmapped) > 30 else "")
            report.add(
                "warning",
                "ingest.unmapped_categories",
                f"以下类型不属于合同的任何类别，按原值保留并计为「其他」：{listed}",
                f"these categories match none of the contract's [categories] labels; kept as written and "
                f"counted as other: {', '.join(unmapped[:30])}" + (" …" if len(unmapped) > 30 else ""),
                column=header,
                value=", ".join(unmapped),
            )
    if "exclusion_reason" in frame:
        reason = frame["exclusion_reason"]
        has_reason = (reason.notna() & (reason.str.strip() != "")).fillna(False).astype(bool)
        frame["excluded"] = frame["excluded"] | has_reason if "excluded" in frame else has_reason
        added.add("excluded")
    if "created_at" in frame:
        created = frame["created_at"]
        for milestone in (*MILESTONES, "status_changed_at"):
            if milestone not in columns:
                continue
            header, c = columns[milestone]
            created_header, created_cells = columns["created_at"]
            before = (frame[milestone] < created).fillna(False)

            def created_as_written(row: int, cells: Cells = created_cells) -> tuple[str, str]:
                shown = cells.display([row])[0]
                return f"（{shown}）", f" ({shown})"

            report.rows(
                "error",
                "ingest.before_created",
                before,
                column=header,
                values=c.display,
                zh=f"「{header}」（{{value}}）早于「{created_header}」",
                en=f'"{header}" ({{value}}) is before "{created_header}"',
                extra=created_as_written,
            )
    if "status" in frame:  # after the checks above: a resolution it fills in was checked as written
        added |= _statuses(frame, columns, ctx)
    if "ticket_id" in frame:
        duplicates(frame["ticket_id"], columns["ticket_id"][0], "工单号", "ticket id", ctx)
    return added


def _priorities(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    """Priority labels → the contract's priority ids; an unknown label is an error; a blank one takes
    the contract's default priority when it sets one (else, in a tickets file, a blank required cell)."""
    if "priority" not in frame:
        return
    header, _ = columns["priority"]
    text = frame["priority"]
    codes, uniques = pd.factorize(text)
    ids = np.array([ctx.priority_labels.get(label_key(u)) for u in uniques] + [None], dtype=object)
    mapped = pd.Series(ids[codes], index=frame.index, dtype="string")
    default = ctx.terms.contract.default_priority
    if default and ctx.kind == "tickets":
        blank = text.isna()
        if blank.any():
            mapped = mapped.mask(blank, default)
            ctx.report.add(
                "warning",
                "ingest.default_priority",
                f"{int(blank.sum()):,} 张工单没有优先级，按合同的默认优先级 {default} 计",
                f"{int(blank.sum()):,} tickets have no priority; they take the contract's default priority "
                f"{default}",
                column=header,
                value=default,
            )
    unknown = text.notna() & mapped.isna()
    known = ", ".join(p.id for p in ctx.terms.priorities)
    ctx.report.rows(
        "error",
        "ingest.unknown_priority",
        unknown,
        column=header,
        values=row_values(text),
        zh=f"未知优先级「{{value}}」：合同的优先级是 {known}（可在“合同条款”页的优先级表中，把这个写法加到对应优先级的“数据中的写法”）",
        en=f'unknown priority "{{value}}": the contract has {known} (on the Contract page, add this spelling to '
        f'the priority\'s "Labels in the data")',
    )
    frame["priority"] = mapped


RESOLVED_STATES = ("resolved", "closed")


def _statuses(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> set[str]:
    """What a ticket's status says (spec "Rule (cancelled and unprioritised tickets)"): a cancelled
    ticket is excluded with reason "cancelled"; a ticket whose status means resolved but that has no
    resolution time is resolved at closed_at (outcomes), else at the status-change time the export
    gives, else it stays unresolved (one warning says how many)."""
    header, _ = columns["status"]
    codes, uniques = pd.factorize(frame["status"])
    meaning = np.array([ctx.states.get(normalize(u)) for u in uniques] + [None], dtype=object)[codes]
    cancelled = pd.Series(meaning == "cancelled", index=frame.index)
    excluded = frame["excluded"] if "excluded" in frame else pd.Series(False, index=frame.index)
    reason = (
        frame["exclusion_reason"]
        if "exclusion_reason" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    blank_reason = reason.isna() | (reason.fillna("").str.strip() == "")
    frame["exclusion_reason"] = reason.mask(cancelled & blank_reason, "cancelled").astype("string")
    frame["excluded"] = (excluded | cancelled).astype(bool)
    done = pd.Series(np.isin(meaning, RESOLVED_STATES), index=frame.index)
    undated = done.copy()
    for column in ("resolved_at", "closed_at"):
        if column in frame:
            undated &= frame[column].isna()
    added = {"excluded", "exclusion_reason"}
    if "status_changed_at" in frame:
        usable = undated & frame["status_changed_at"].notna()
        if usable.any():
            blank = pd.Series(pd.NaT, index=frame.index, dtype=TIMESTAMP)
            resolved = frame.get("resolved_at", blank)
            frame["resolved_at"] = resolved.mask(usable, frame["status_changed_at"])
            added.add("resolved_at")
        undated &= ~usable
    if undated.any():
        zh_col, en_col = COLUMN_LABELS["resolved_at"]
        count = int(undated.sum())
        ctx.report.add(
            "warning",
            "ingest.resolved_without_time",
            f"{count:,} 张工单的状态表示已解决，但没有{zh_col}、关闭时间或状态变更时间：按未解决计",
            f"{count:,} tickets have a status that means resolved but no {en_col} time, closed time or "
            "status-change time: they count as unresolved",
            column=header,
            value=str(count),
        )
    return added


def events(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    """A status history's rows: priorities mapped; the rest is checked when tickets are derived."""
    _priorities(frame, columns, ctx)


def categories(raw: pd.Series, terms: Terms) -> tuple[pd.Series, list[str]]:
    labels = sorted(
        (
            (str(label).casefold().strip(), cat)
            for cat in CATEGORIES
            for label in getattr(terms.categories, cat)
        ),
        key=lambda lc: -len(lc[0]),
    )
    codes, uniques = pd.factorize(raw)
    canon: list[str] = []
    unmapped: list[str] = []
    for value in uniques:
        folded = str(value).casefold().strip()
        cat = next((c for label, c in labels if label and folded.startswith(label)), None)
        if cat is None:
            unmapped.append(str(value))
        canon.append(cat or str(value))
    table = np.array([*canon, None], dtype=object)
    return pd.Series(table[codes], index=raw.index, dtype="string"), unmapped
