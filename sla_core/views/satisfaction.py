"""The Satisfaction screen: survey trends, the score distribution, dimensions, breakdowns by channel and
team, flagged responses and comments."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation, filtered_values
from sla_core.i18n import FLAG_NAMES
from sla_core.views.common import Filters, Period, active, period_responses, trend


@dataclass
class SatisfactionView:
    mean_trend: pd.DataFrame
    share_trend: pd.DataFrame
    scores: pd.Series
    scale: tuple[int, int]
    dimensions: pd.Series  # dimension → mean
    by_channel: pd.Series
    by_team: pd.Series
    flagged: pd.DataFrame
    comments: pd.DataFrame
    target_mean: float | None
    responses: int
    filtered: bool


def flag_text(flags: str, lang: str) -> str:
    names = [FLAG_NAMES[f][0 if lang == "zh" else 1] for f in str(flags).split(",") if f in FLAG_NAMES]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def satisfaction(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> SatisfactionView:
    filtered = active(filters)
    values = (
        filtered_values(evaluation, data, {k: list(v) for k, v in filters.items()})
        if filters is not None and filtered
        else evaluation.values
    )
    responses = period_responses(evaluation, period, filters)
    counted = responses.loc[~responses["excluded"]] if not responses.empty else responses
    result = evaluation.period(period.label)
    terms = result.terms if result else evaluation.contract.base
    dims = [c for c in counted.columns if c.startswith("dim:")] if not counted.empty else []
    target = terms.target("csat_mean")

    def means(col: str) -> pd.Series:
        if counted.empty:
            return pd.Series(dtype="float64")
        return counted.groupby(counted[col].fillna(""))["score"].mean().astype(float)

    flagged = responses.loc[responses["flags"].fillna("") != ""] if not responses.empty else responses
    zone = evaluation.contract.zone
    flagged_table = pd.DataFrame(
        {
            "response_id": flagged.get("response_id", pd.Series(dtype="string")),
            "ticket_id": flagged.get("ticket_id", pd.Series(dtype="string")),
            "submitted": pd.to_datetime(
                flagged.get("submitted", pd.Series(dtype="float64")), unit="s", utc=True
            )
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            "score": flagged.get("score", pd.Series(dtype="float64")),
            "flags": [flag_text(f, lang) for f in flagged.get("flags", pd.Series(dtype="string"))],
            "excluded": flagged.get("excluded", pd.Series(dtype="bool")),
            "exclusion_reason": flagged.get("exclusion_reason", pd.Series(dtype="string")).fillna(""),
        }
    )
    with_comment = (
        responses.loc[responses["comment"].fillna("").str.strip() != ""] if not responses.empty else responses
    )
    comments = pd.DataFrame(
        {
            "submitted": pd.to_datetime(
                with_comment.get("submitted", pd.Series(dtype="float64")), unit="s", utc=True
            )
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            "score": with_comment.get("score", pd.Series(dtype="float64")),
            "channel": with_comment.get("channel", pd.Series(dtype="string")),
            "team": with_comment.get("team", pd.Series(dtype="string")),
            "ticket_id": with_comment.get("ticket_id", pd.Series(dtype="string")),
            "comment": with_comment.get("comment", pd.Series(dtype="string")),
        }
    ).sort_values("submitted", ascending=False)
    return SatisfactionView(
        mean_trend=trend(evaluation, values, "csat_mean", filtered),
        share_trend=trend(evaluation, values, "csat_satisfied_share", filtered),
        scores=counted["score"].astype(float) if not counted.empty else pd.Series(dtype="float64"),
        scale=(int(terms.surveys.min), int(terms.surveys.scale)),
        dimensions=pd.Series(
            {d.removeprefix("dim:"): float(counted[d].astype(float).mean()) for d in dims}, dtype="float64"
        ),
        by_channel=means("channel"),
        by_team=means("team"),
        flagged=flagged_table,
        comments=comments,
        target_mean=float(target.value) if target else None,
        responses=len(counted),
        filtered=filtered,
    )
