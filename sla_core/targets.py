"""Which target each ticket's milestones are judged by (spec "Rule (conditional targets)").

For each ticket and milestone (response, workaround, resolution), the first `[[targets]]` rule of the
terms in force for the ticket's month that matches the ticket and names the milestone gives the target
and its clock; else the priority's (which sets response and resolution only). Vectorised: a mask per
rule (a few per contract), each column's values compared once per distinct value, never per ticket.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sla_core.contract import CATEGORIES, Contract, Terms
from sla_core.contract_rules import MILESTONE_NAMES, RuleMatch

InHours = Callable[[int, np.ndarray], np.ndarray]  # (version, created instants) → in service hours


class Matcher:
    """Rule masks over one frame of tickets (columns priority, category, category_raw, channel,
    customer; `in_hours` per row). Each column is factorised once and compared per distinct value."""

    def __init__(self, frame: pd.DataFrame, in_hours: Callable[[], np.ndarray]) -> None:
        self.frame = frame
        self._in_hours = in_hours
        self._hours: np.ndarray | None = None
        self._factors: dict[str, tuple[np.ndarray, list[str]]] = {}

    def _factor(self, column: str) -> tuple[np.ndarray, list[str]]:
        if column not in self._factors:
            values = (
                self.frame[column]
                if column in self.frame.columns
                else pd.Series(pd.NA, index=self.frame.index)
            )
            codes, uniques = pd.factorize(values.astype("string"))
            self._factors[column] = (codes, [str(u) for u in uniques])
        return self._factors[column]

    def _lookup(self, column: str, test: Callable[[str], bool]) -> np.ndarray:
        codes, uniques = self._factor(column)
        table = np.array([test(u) for u in uniques] + [False], dtype=bool)  # code -1 (blank) → False
        return np.asarray(table[codes], dtype=bool)

    def exact(self, column: str, values: set[str]) -> np.ndarray:
        return self._lookup(column, lambda u: u in values)

    def prefix(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        folded = tuple(v.strip().casefold() for v in values if v.strip())
        return self._lookup(column, lambda u: u.strip().casefold().startswith(folded))

    def in_hours(self) -> np.ndarray:
        if self._hours is None:
            self._hours = self._in_hours()
        return self._hours

    def mask(self, when: RuleMatch, terms: Terms) -> np.ndarray:
        keep = np.ones(len(self.frame), dtype=bool)
        if when.priority:
            names = {n.strip().casefold() for n in when.priority}
            ids = {
                p.id for p in terms.priorities if names & {x.strip().casefold() for x in (p.id, *p.labels)}
            }
            keep &= self.exact("priority", ids)
        if when.category:
            canonical = {v for v in when.category if v in CATEGORIES}
            keep &= self.exact("category", canonical) | self.prefix("category_raw", when.category)
        if when.channel:
            keep &= self.prefix("channel", when.channel)
        if when.customer:
            keep &= self.prefix("customer", when.customer)
        if when.created is not None:
            hours = self.in_hours()
            keep &= hours if when.created == "in_hours" else ~hours
        return keep


def ticket_targets(
    contract: Contract, frame: pd.DataFrame, created: np.ndarray, in_hours: InHours
) -> pd.DataFrame:
    """Per ticket and milestone: `<m>_target` (seconds, NaN: none), `<m>_clock`, `<m>_rule` (the rule's
    id, None: the priority's). `frame` holds version, the priority's clock, response_target and
    resolution_target (from the priority table) and the matching columns."""
    n = len(frame)
    version = frame["version"].to_numpy()
    priority_clock = frame["clock"].to_numpy(dtype=object)
    out: dict[str, np.ndarray] = {}
    for m in MILESTONE_NAMES:
        base = (
            frame[f"{m}_target"] if f"{m}_target" in frame.columns else pd.Series(np.nan, index=frame.index)
        )
        out[f"{m}_target"] = base.to_numpy(dtype="float64").copy()
        out[f"{m}_clock"] = priority_clock.copy()
        out[f"{m}_rule"] = np.full(n, None, dtype=object)
    for v, terms in enumerate(contract.versions):
        if not terms.targets:
            continue
        rows = version == v
        if not rows.any():
            continue
        idx = np.flatnonzero(rows)
        sub = frame.iloc[idx]

        def hours(v: int = v, idx: np.ndarray = idx) -> np.ndarray:
            return in_hours(v, created[idx])

        matcher = Matcher(sub, hours)
        taken = {m: np.zeros(idx.size, dtype=bool) for m in MILESTONE_NAMES}
        for rule in terms.targets:
            hit = matcher.mask(rule.when, terms)
            for m, milestone in rule.milestones().items():
                take = hit & ~taken[m]
                if not take.any():
                    continue
                taken[m] |= take
                at = idx[take]
                out[f"{m}_target"][at] = milestone.within
                if milestone.clock is not None:
                    out[f"{m}_clock"][at] = milestone.clock
                out[f"{m}_rule"][at] = rule.id
    table = pd.DataFrame(out, index=frame.index)
    for m in MILESTONE_NAMES:
        table[f"{m}_rule"] = table[f"{m}_rule"].astype("string")
    return table


def target_rule_text(rules: pd.DataFrame) -> pd.Series:
    """The rules that set a ticket's targets, as one cell: their ids in milestone order, each once,
    joined by "; " (blank when every target is the priority's)."""
    parts = [rules[f"{m}_rule"].astype("string") for m in MILESTONE_NAMES if f"{m}_rule" in rules.columns]
    if not parts:
        return pd.Series(pd.NA, index=rules.index, dtype="string")
    codes = pd.DataFrame(dict(enumerate(parts)))
    combos, keys = pd.factorize(pd.MultiIndex.from_frame(codes.fillna("")))
    texts = ["; ".join(dict.fromkeys(x for x in key if x)) for key in keys]
    out = pd.Series(np.array(texts, dtype=object)[combos], index=rules.index, dtype="string")
    return out.mask(out == "")
