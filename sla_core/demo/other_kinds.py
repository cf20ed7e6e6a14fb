"""The three kinds beside the tickets: survey responses (scores as exact monthly quotas, planted
duplicates, straight-liners and speeders), the outage log, and the monthly measures (the reported
ones and the provider's own figures, two of which differ from the truth)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sla_core.contract import Contract
from sla_core.dataset import DIMENSION_PREFIX
from sla_core.demo.arrays import _ids, _largest_remainder, _local, _month_of, _rank_in_group, _text, _ts
from sla_core.demo.plan import (
    COMMENTS,
    DIMENSIONS,
    GIVEN,
    OUTAGES,
    PROVIDER_DIFFERS,
    SURNAMES,
    SURVEY_CHANNEL_P,
    SURVEY_CHANNELS,
    SURVEY_SHARE,
    TEAMS,
    MonthPlan,
)


def _surveys(
    rng: np.random.Generator,
    t: dict[str, Any],
    bounds: np.ndarray,
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    cutoff: float,
) -> pd.DataFrame:
    """Responses to ~40% of resolved tickets; scores as exact monthly quotas; planted integrity flags."""
    tickets: pd.DataFrame = t["frame"]
    resolved: np.ndarray = t["resolved"]
    n_months = len(labels)
    answer = ~np.isnan(resolved) & ~t["excluded"] & (rng.random(resolved.size) < SURVEY_SHARE)
    idx = np.flatnonzero(answer)
    submitted = resolved[idx] + rng.integers(1800, 216001, size=idx.size)
    keep = submitted <= cutoff
    idx, submitted = idx[keep], submitted[keep]
    names = [s + given for s in SURNAMES for given in GIVEN]
    person = rng.integers(0, len(names), size=idx.size)
    # duplicates: the same ticket answered again later (the respondent clicked the link twice)
    dup = rng.random(idx.size) < 0.015
    d_sub = submitted[dup] + rng.integers(600, 86401, size=int(dup.sum()))
    d_keep = d_sub <= cutoff
    ticket = np.concatenate([idx, idx[dup][d_keep]])
    submitted = np.concatenate([submitted, d_sub[d_keep]])
    person = np.concatenate([person, person[dup][d_keep]])
    order = np.argsort(submitted, kind="stable")
    ticket, submitted, person = ticket[order], submitted[order], person[order]
    m = ticket.size

    g = _month_of(submitted, bounds)
    rank, counts = _rank_in_group(g, n_months, np.ones(m, dtype=bool), rng)
    cum = np.array(
        [np.cumsum(_largest_remainder(p.scores, int(c))) for p, c in zip(plans, counts, strict=True)]
    )
    score = 1 + (rank[:, None] >= cum[g]).sum(axis=1)

    straight = rng.random(m) < 0.02
    speeder = rng.random(m) < 0.02
    dims = np.clip(
        score[:, None] + rng.choice(np.array([-1, 0, 0, 0, 0, 1]), size=(m, len(DIMENSIONS))), 1, 5
    )
    fix = (dims == dims[:, :1]).all(axis=1) & ~straight
    d0 = dims[fix, 0]
    dims[fix, 2] = np.where(d0 >= 2, d0 - 1, d0 + 1)
    dims[straight] = score[straight, None]
    duration = np.clip(np.rint(rng.lognormal(np.log(110), 0.5, size=m)), 45, 1200)
    duration = np.where(speeder, rng.integers(4, 21, size=m), duration)

    comments = [c for s in range(1, 6) for c in COMMENTS[s]]
    offset = np.cumsum([0] + [len(COMMENTS[s]) for s in range(1, 6)])
    size = np.diff(offset)
    comment = offset[score - 1] + np.floor(rng.random(m) * size[score - 1]).astype(np.int64)
    comment = np.where(rng.random(m) < 0.45, -1, comment)

    frame = pd.DataFrame(
        {
            "response_id": _ids("HF", np.zeros(m, dtype=np.int64), [""], np.arange(1, m + 1), 7),
            "submitted_at": _ts(submitted),
            "score": pd.array(score.astype("float64"), dtype="Float64"),
            "ticket_id": tickets["ticket_id"].iloc[ticket].reset_index(drop=True),
            "respondent": _text(person, names),
            "channel": _text(rng.choice(len(SURVEY_CHANNELS), size=m, p=SURVEY_CHANNEL_P), SURVEY_CHANNELS),
            "team": _text(t["team"][ticket], TEAMS),
            "comment": _text(comment, comments),
            "duration_seconds": pd.array(duration.astype("float64"), dtype="Float64"),
        }
    )
    for j, name in enumerate(DIMENSIONS):
        frame[DIMENSION_PREFIX + name] = pd.array(dims[:, j].astype("float64"), dtype="Float64")
    return frame


def _outages(zone: ZoneInfo, start: float, cutoff: float) -> pd.DataFrame:
    rows = [o for o in OUTAGES if start <= _local(o[1], zone) <= cutoff]
    begin = np.array([_local(o[1], zone) for o in rows], dtype="float64")
    end = np.array([_local(o[2], zone) for o in rows], dtype="float64")
    announced = np.array([_local(o[4], zone) if o[4] else np.nan for o in rows], dtype="float64")
    return pd.DataFrame(
        {
            "service": pd.array([o[0] for o in rows], dtype="string"),
            "start": _ts(begin),
            "end": _ts(np.where(end > cutoff, np.nan, end)),
            "planned": np.array([o[3] for o in rows], dtype=bool),
            "announced_at": _ts(announced),
            "severity": pd.array([o[5] for o in rows], dtype="string"),
            "cause": pd.array([o[6] for o in rows], dtype="string"),
            "description": pd.array([o[7] for o in rows], dtype="string"),
        }
    )


def unplanned_seconds(
    outages: pd.DataFrame, bounds: Sequence[float] | np.ndarray, notice: float | None
) -> np.ndarray:
    """Union of unplanned outage time per month (bounds: month starts and the end, epoch seconds)."""
    start = _epochs(outages["start"])
    end = _epochs(outages["end"])
    end = np.where(np.isnan(end), bounds[-1], end)
    announced = _epochs(outages["announced_at"])
    planned = outages["planned"].to_numpy(dtype=bool).copy()
    if notice is not None:
        planned &= announced <= start - notice
    pieces = sorted(zip(start[~planned], end[~planned], strict=True))
    merged: list[list[float]] = []
    for a, b in pieces:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    edges = np.asarray(bounds, dtype="float64")
    out = np.zeros(edges.size - 1)
    for a, b in merged:
        out += np.clip(np.minimum(b, edges[1:]) - np.maximum(a, edges[:-1]), 0, None)
    return out


def _epochs(series: pd.Series) -> np.ndarray:
    values = series.to_numpy(dtype="datetime64[s]")
    out = values.astype("int64").astype("float64")
    out[np.isnat(values)] = np.nan
    return out


def _measures(
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    t: dict[str, Any],
    outages: pd.DataFrame,
    bounds: np.ndarray,
    contract: Contract,
) -> pd.DataFrame:
    rows: list[tuple[str, str, float, str | None, str | None]] = []
    for label, plan in zip(labels, plans, strict=True):
        rows.append((label, "backup_success_rate", plan.backup, None, plan.backup_note or None))
        rows.append((label, "recovery_time_hours", plan.recovery_hours, None, plan.recovery_note or None))
        rows.append((label, "data_accuracy", plan.data_accuracy, None, None))
    # the provider's own monthly report, January to the month before the last (the last is not due yet)
    down = unplanned_seconds(outages, bounds, contract.base.availability.notice)
    length = np.diff(bounds)
    g, excluded = t["month"], t["excluded"]
    breach = t["resp"] > t["tgt_resp"]
    for i, label in enumerate(labels[:-1]):
        counted = (g == i) & ~excluded
        truth = {
            "availability": float(1 - down[i] / length[i]),
            "response_within_target": float(1 - breach[counted].sum() / max(counted.sum(), 1)),
        }
        for kpi, value in truth.items():
            reported, note = PROVIDER_DIFFERS.get((label, kpi), (value, "乙方月度服务报告"))
            rows.append((label, kpi, reported, "provider", note))
    frame = pd.DataFrame(rows, columns=["month", "kpi", "value", "source", "note"])
    frame["value"] = frame["value"].astype("Float64")
    return frame
