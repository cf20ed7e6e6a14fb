"""The Contract screen's KPI table speaks the user's words: targets with ≥ and ≤, no KPI ids in sight
(the id stays as the row's hidden key), and the file keeps its own >= and <= whatever was typed."""

from __future__ import annotations

from sla_core import contract_edit as ce


def test_targets_are_shown_with_the_signs_people_write() -> None:
    frame = ce.kpi_frame(
        {"kpis": {"response_within_target": ">= 95%", "unplanned_downtime_minutes": "<= 30"}}, "zh"
    )
    rows = frame.set_index("kpi")
    assert rows.loc["response_within_target", "target"] == "≥ 95%"
    assert rows.loc["unplanned_downtime_minutes", "target"] == "≤ 30"
    assert rows.loc["response_within_target", "label"] == "首次响应达标率"
    assert rows.loc["reopen_rate", "target"] == ""  # no target: shown, not judged


def test_the_file_keeps_its_ascii_signs_whichever_was_typed() -> None:
    frame = ce.kpi_frame({"kpis": {"response_within_target": ">= 95%"}}, "en")
    frame.loc[frame["kpi"] == "complaint_rate", "target"] = "<= 2%"  # typed the file's way
    frame.loc[frame["kpi"] == "csat_mean", "target"] = "≥ 4.5"  # typed the screen's way
    saved = ce.with_kpis({"kpis": {}}, frame)["kpis"]
    assert saved == {"response_within_target": ">= 95%", "complaint_rate": "<= 2%", "csat_mean": ">= 4.5"}


def test_off_and_blank_stay_what_they_mean() -> None:
    frame = ce.kpi_frame({"kpis": {"reopen_rate": "off"}}, "zh")
    assert frame.set_index("kpi").loc["reopen_rate", "target"] == "off"
    assert ce.with_kpis({}, frame)["kpis"] == {"reopen_rate": "off"}
