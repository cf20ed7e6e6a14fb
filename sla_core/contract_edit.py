"""Editing a contract as tables (the Contract screen): raw TOML table ⇄ editable frames, validated
by the same rules as a contract file. Nothing here is saved; the store keeps revisions."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from sla_core.contract import KPI_IDS, WEEKDAYS, Contract, contract_from_raw, contract_to_toml
from sla_core.i18n import KPIS
from sla_core.problems import Issue, error

Raw = dict[str, Any]


def raw_of(text: str) -> Raw:
    return tomllib.loads(text)


def validate(raw: Raw) -> tuple[Contract | None, list[Issue]]:
    return contract_from_raw(raw)


def to_text(raw: Raw) -> str:
    return contract_to_toml(raw)


# ---------------------------------------------------------------- general


GENERAL_FIELDS = (
    "name",
    "client",
    "provider",
    "currency",
    "monthly_fee",
    "effective_from",
    "effective_to",
    "no_data_counts_as_missed",
)


def with_general(raw: Raw, values: dict[str, Any]) -> Raw:
    out = copy.deepcopy(raw)
    table = out.setdefault("contract", {})
    for key in GENERAL_FIELDS:
        if key not in values:
            continue
        value = values[key]
        if value in (None, ""):
            table.pop(key, None)
        elif isinstance(value, date):
            table[key] = value.isoformat()
        else:
            table[key] = value
    return out


# ---------------------------------------------------------------- KPI targets


_SIGNS = {">=": "≥", "<=": "≤"}


def kpi_frame(raw: Raw, lang: str) -> pd.DataFrame:
    """The targets as people write them (≥ 95%, not the file's >= 95%); the `kpi` column is the row's
    key for saving, not for the screen."""
    targets = raw.get("kpis", {})
    shown = [str(targets.get(k, "")) for k in KPI_IDS]
    for ascii_sign, sign in _SIGNS.items():
        shown = [t.replace(ascii_sign, sign) for t in shown]
    return pd.DataFrame(
        {
            "kpi": list(KPI_IDS),
            "label": [KPIS[k].label(lang) for k in KPI_IDS],
            "target": shown,
        }
    )


def with_kpis(raw: Raw, frame: pd.DataFrame) -> Raw:
    """Blank means "shown, not judged"; 'off' is kept (it matters in versions). The file keeps its own
    >= and <= whichever the user typed."""
    out = copy.deepcopy(raw)
    kpis = dict(out.get("kpis", {}) or {})  # targets the table does not list are kept as written
    for _, r in frame.iterrows():
        target = str(r["target"] or "").strip()
        for ascii_sign, sign in _SIGNS.items():
            target = target.replace(sign, ascii_sign)
        if target:
            kpis[str(r["kpi"])] = target
        else:
            kpis.pop(str(r["kpi"]), None)
    out["kpis"] = kpis
    return out


# ---------------------------------------------------------------- priorities


def priority_frame(raw: Raw) -> pd.DataFrame:
    rows = [
        {
            "id": p.get("id", ""),
            "labels": ", ".join(str(x) for x in p.get("labels", [])),
            "clock": p.get("clock", "business"),
            "response": p.get("response", ""),
            "resolution": p.get("resolution", ""),
        }
        for p in raw.get("priorities", [])
    ]
    return pd.DataFrame(rows, columns=["id", "labels", "clock", "response", "resolution"])


def with_priorities(raw: Raw, frame: pd.DataFrame) -> Raw:
    out = copy.deepcopy(raw)
    old = {p.get("id"): p for p in raw.get("priorities", [])}
    priorities = []
    for _, r in frame.iterrows():
        pid = str(r["id"] or "").strip()
        if not pid:
            continue
        entry = copy.deepcopy(old.get(pid, {}))
        entry.update(
            {
                "id": pid,
                "labels": [
                    x.strip() for x in str(r["labels"] or "").replace("，", ",").split(",") if x.strip()
                ],
                "clock": str(r["clock"] or "business"),
                "response": str(r["response"] or "").strip(),
                "resolution": str(r["resolution"] or "").strip(),
            }
        )
        priorities.append(entry)
    out["priorities"] = priorities
    return out


# ---------------------------------------------------------------- calendar


def hours_frame(raw: Raw) -> pd.DataFrame:
    hours = raw.get("calendar", {}).get("hours", {})
    return pd.DataFrame({"day": list(WEEKDAYS), "hours": [", ".join(hours.get(d, [])) for d in WEEKDAYS]})


def _intervals(text: str) -> list[str]:
    return [x.strip() for x in str(text or "").replace("，", ",").replace(";", ",").split(",") if x.strip()]


def _dates(text: str) -> list[str]:
    return [x.strip() for x in str(text or "").replace("，", ",").replace("\n", ",").split(",") if x.strip()]


def special_frame(raw: Raw) -> pd.DataFrame:
    special = raw.get("calendar", {}).get("special_hours", {})
    return pd.DataFrame(
        {"date": [str(d) for d in special], "hours": [", ".join(v) for v in special.values()]},
        columns=["date", "hours"],
    )


def with_calendar(
    raw: Raw, country: str, hours: pd.DataFrame, holidays: str, workdays: str, special: pd.DataFrame
) -> Raw:
    out = copy.deepcopy(raw)
    cal = out.setdefault("calendar", {})
    cal["country"] = country.strip().upper()
    cal["hours"] = {str(r["day"]): _intervals(r["hours"]) for _, r in hours.iterrows()}
    cal["extra_holidays"] = _dates(holidays)
    cal["extra_workdays"] = _dates(workdays)
    cal["special_hours"] = {
        str(r["date"]).strip(): _intervals(r["hours"])
        for _, r in special.iterrows()
        if str(r["date"] or "").strip()
    }
    return out


# ---------------------------------------------------------------- penalties and obligations


class EditRefused(ValueError):
    """A form was asked to write over a rule it cannot show; `issue` names the key and says why."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.en)


@dataclass(frozen=True)
class PenaltyForm:
    """What the penalty form can show: one percentage of the monthly fee per rule, or None where the
    contract writes the rule another way (per priority, a fixed amount, per KPI). `kept` lists those
    rules (key, TOML text): a save keeps them as they are."""

    response: float | None
    resolution: float | None
    per_kpi: float | None
    cap: float
    cap_period: str
    kept: tuple[tuple[str, str], ...] = ()


def _plain(rule: object) -> bool:
    return rule is None or (isinstance(rule, int | float) and not isinstance(rule, bool))


def _rule_text(rule: object) -> str:
    return contract_to_toml({"rule": rule}).removeprefix("rule = ").strip()


def _penalty_rules(raw: Raw) -> dict[str, object]:
    pen = raw.get("penalties", {}) or {}
    per_ticket = pen.get("per_breached_ticket", {}) or {}
    return {
        "per_breached_ticket.response": per_ticket.get("response"),
        "per_breached_ticket.resolution": per_ticket.get("resolution"),
        "per_missed_kpi": pen.get("per_missed_kpi"),
    }


def penalty_form(raw: Raw) -> PenaltyForm:
    pen = raw.get("penalties", {}) or {}
    rules = _penalty_rules(raw)
    shown = {k: (float(v or 0) if _plain(v) else None) for k, v in rules.items()}  # type: ignore[arg-type]
    return PenaltyForm(
        response=shown["per_breached_ticket.response"],
        resolution=shown["per_breached_ticket.resolution"],
        per_kpi=shown["per_missed_kpi"],
        cap=float(pen.get("cap") or 0),
        cap_period=str(pen.get("cap_period", "month")),
        kept=tuple((k, _rule_text(v)) for k, v in rules.items() if not _plain(v)),
    )


def _refuse(key: str, rule: object) -> EditRefused:
    text = _rule_text(rule)
    return EditRefused(
        error(
            "contract.edit_refused",
            f"penalties.{key} 按优先级、固定金额或按指标分别约定（{text}），此表单只能填写一个百分比；"
            "请下载合同 TOML 修改后上传",
            f"penalties.{key} is written per priority, as a fixed amount or per KPI ({text}); this form "
            "holds one percentage only: download the contract's TOML, change it there and upload it",
            column=f"penalties.{key}",
            value=text,
        )
    )


def with_penalties(
    raw: Raw,
    response: float | None,
    resolution: float | None,
    per_kpi: float | None,
    cap: float | None,
    cap_period: str,
) -> Raw:
    """The penalties with the form's values. A rule the form cannot show (see `penalty_form`) is kept
    when its input is None or 0, and a number typed over it is refused (EditRefused): the form never
    writes over what it did not show. Keys the form has no input for (e.g. a workaround penalty) stay."""
    rules = _penalty_rules(raw)
    given = {
        "per_breached_ticket.response": response,
        "per_breached_ticket.resolution": resolution,
        "per_missed_kpi": per_kpi,
    }
    for key, value in given.items():
        if not _plain(rules[key]) and value:
            raise _refuse(key, rules[key])
    out = copy.deepcopy(raw)
    pen = out.setdefault("penalties", {})
    per_ticket = pen.setdefault("per_breached_ticket", {})
    for key, value in given.items():
        if not _plain(rules[key]) or value is None:
            continue  # kept as written
        section, _, name = key.partition(".")
        table, field = (per_ticket, name) if name else (pen, section)
        if value:
            table[field] = value
        else:
            table.pop(field, None)
    if cap is not None and cap > 0:
        pen["cap"] = cap
    else:
        pen.pop("cap", None)
    pen["cap_period"] = cap_period
    return out


def with_obligations(raw: Raw, values: dict[str, int]) -> Raw:
    out = copy.deepcopy(raw)
    out.setdefault("obligations", {}).update(values)
    return out


# ---------------------------------------------------------------- versions


def versions_frame(raw: Raw, lang: str) -> pd.DataFrame:
    rows = []
    for v in raw.get("versions", []):
        changes = []
        for kpi, target in v.get("kpis", {}).items():
            changes.append(f"{KPIS[kpi].label(lang) if kpi in KPIS else kpi} {target}")
        for p in v.get("priorities", []):
            parts = [f"{k} {p[k]}" for k in ("response", "resolution", "clock") if k in p]
            changes.append(f"{p.get('id')}: {', '.join(parts)}")
        others = [k for k in v if k not in ("effective_from", "note", "kpis", "priorities")]
        changes += others
        rows.append(
            {
                "effective_from": str(v.get("effective_from", "")),
                "note": v.get("note", ""),
                "changes": "; ".join(changes),
            }
        )
    return pd.DataFrame(rows, columns=["effective_from", "note", "changes"])


def with_version(
    raw: Raw, effective_from: date, note: str, kpis: dict[str, str], priorities: dict[str, dict[str, str]]
) -> Raw:
    """A new version: the changed KPI targets ('off' removes one) and priority targets."""
    out = copy.deepcopy(raw)
    version: dict[str, Any] = {"effective_from": effective_from.isoformat(), "note": note}
    if kpis:
        version["kpis"] = dict(kpis)
    changed = [{"id": pid, **fields} for pid, fields in priorities.items() if fields]
    if changed:
        version["priorities"] = changed
    out.setdefault("versions", []).append(version)
    return out


def new_contract(example_text: str, contract_id: str, name: str) -> Raw:
    raw = raw_of(example_text)
    raw["contract"]["id"] = contract_id
    raw["contract"]["name"] = name
    raw.pop("versions", None)
    return raw
