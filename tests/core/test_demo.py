"""The demo generator: determinism, scale, files, and the planted facts checked on the frames directly.

The KPI engine is written separately; here a small reference computation (straight from the spec's
rules, on the canonical frames) checks every judged KPI per month, so that the planted verdicts,
penalties and obligations in `sla_core.demo` hold by construction.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from sla_core import demo
from sla_core.calendar import build_calendar
from sla_core.contract import KPI_IDS, Contract, parse_contract
from sla_core.dataset import DERIVED, DIMENSION_PREFIX, SCHEMA

ZONE = ZoneInfo("Asia/Shanghai")
SPEC = Path("/work/shared/spec/contract.example.toml")
REPO = Path(__file__).resolve().parents[2]
FEE = 200_000

# month → KPIs that miss; written out here independently of demo.PLANTED
EXPECTED_MISSES = {
    "2026-01": set(),
    "2026-02": {"resolution_within_target"},
    "2026-03": {"first_contact_resolution", "backup_success_rate"},
    "2026-04": {"first_contact_resolution", "complaint_rate"},
    "2026-05": {"first_contact_resolution"},
    "2026-06": {"availability", "unplanned_downtime_minutes", "restored_in_time"},
    "2026-07": {"unplanned_downtime_minutes", "feedback_on_time"},
    "2026-08": {"csat_mean"},
    "2026-09": {"complaint_rate"},
    "2026-10": {"recovery_time_hours"},
}
EXPECTED_TIMEOUTS = {
    "2026-01": 1, "2026-02": 1, "2026-03": 0, "2026-04": 1, "2026-05": 2,
    "2026-06": 3, "2026-07": 0, "2026-08": 1, "2026-09": 1, "2026-10": 1,
}  # fmt: skip


# ---------------------------------------------------------------- reference computation


def epochs(series: pd.Series) -> np.ndarray:
    values = series.to_numpy(dtype="datetime64[s]")
    out = values.astype("int64").astype("float64")
    out[np.isnat(values)] = np.nan
    return out


def month_bounds(labels: tuple[str, ...]) -> np.ndarray:
    firsts = [datetime.strptime(m, "%Y-%m") for m in labels]
    y, m = firsts[-1].year, firsts[-1].month
    after = datetime(y + 1, 1, 1) if m == 12 else datetime(y, m + 1, 1)
    return np.array([d.replace(tzinfo=ZONE).timestamp() for d in [*firsts, after]])


def month_index(t: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(bounds, t, side="right") - 1
    return np.where(np.isnan(t), -1, idx)


def unplanned_intervals(outages: pd.DataFrame, as_of: float, notice: int) -> pd.DataFrame:
    o = pd.DataFrame(
        {
            "service": outages["service"].to_numpy(),
            "start": epochs(outages["start"]),
            "end": np.fmin(np.nan_to_num(epochs(outages["end"]), nan=as_of), as_of),
            "planned": outages["planned"].to_numpy(dtype=bool),
            "announced": epochs(outages["announced_at"]),
        }
    )
    in_time = o["announced"].to_numpy() <= o["start"].to_numpy() - notice  # NaN → False
    return o.loc[~(o["planned"].to_numpy() & in_time)]


def union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def per_month_seconds(intervals: list[tuple[float, float]], bounds: np.ndarray) -> np.ndarray:
    out = np.zeros(bounds.size - 1)
    for a, b in intervals:
        out += np.clip(np.minimum(b, bounds[1:]) - np.maximum(a, bounds[:-1]), 0, None)
    return out


def reference(data: demo.DemoData) -> pd.DataFrame:
    """Per month: every judged KPI's value, its verdict, response timeouts and the penalty."""
    contract, _ = parse_contract(data.contract_text)
    assert contract is not None
    labels = data.months
    bounds = month_bounds(labels)
    as_of = data.as_of.timestamp()
    terms = [contract.terms_for_month(int(m[:4]), int(m[5:])) for m in labels]
    cal = build_calendar(contract.base.calendar, "Asia/Shanghai", date(2026, 1, 1), date(2026, 12, 31))

    t = data.tickets
    created = epochs(t["created_at"])
    g = month_index(created, bounds)
    prio = t["priority"].to_numpy(dtype=object)
    p_idx = np.select([prio == "P1", prio == "P2"], [0, 1], 2)
    resp_t = np.array([[tm.priority(p).response for p in ("P1", "P2", "P3")] for tm in terms])
    res_t = np.array([[tm.priority(p).resolution for p in ("P1", "P2", "P3")] for tm in terms])
    wall = p_idx == 0

    def elapsed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(wall, b - a, cal.elapsed(a, b))

    first = epochs(t["first_response_at"])
    resolved = epochs(t["resolved_at"])
    excluded = t["excluded"].to_numpy(dtype=bool)
    paused = t["paused_minutes"].fillna(0).to_numpy(dtype="float64") * 60
    now = np.full(created.shape, as_of)

    def outcome(end: np.ndarray, seconds: np.ndarray, target: np.ndarray) -> np.ndarray:
        done = ~np.isnan(end)
        out = np.where(seconds <= target, "met", np.where(done, "breached", "breached"))
        out = np.where(~done & (seconds <= target), "pending", out)
        return np.where(excluded, "excluded", out)

    # the example contract's conditional targets (its [[targets]], first match wins), written out by hand:
    # doc 003 — an urgent fault outside service hours (Mon–Fri 09:00–18:00 on China's working days) gets
    # 30 min; doc 001 — an inquiry gets 15 min (on its priority's clock)
    cat = t["category"].to_numpy(dtype=object)
    local = t["created_at"].dt.tz_convert("Asia/Shanghai")
    days = local.dt.tz_localize(None).dt.normalize() - pd.Timestamp("1970-01-01")
    ordinal = days.dt.days.to_numpy() + date(1970, 1, 1).toordinal()
    in_hours = (
        np.isin(ordinal, cal.working_days) & (local.dt.hour >= 9).to_numpy() & (local.dt.hour < 18).to_numpy()
    )
    response_target = resp_t[g, p_idx].astype("float64")
    response_target = np.where(cat == "inquiry", 900, response_target)
    response_target = np.where((p_idx == 0) & (cat == "fault") & ~in_hours, 1800, response_target)

    resp_end = np.fmin(first, resolved)
    resp_s = elapsed(created, np.where(np.isnan(resp_end), now, resp_end))
    resp = outcome(resp_end, resp_s, response_target)
    res_s = np.maximum(elapsed(created, np.where(np.isnan(resolved), now, resolved)) - paused, 0)
    res = outcome(resolved, res_s, res_t[g, p_idx])

    done = ~np.isnan(resolved)
    counted = ~excluded
    fcr = t["first_contact_resolved"].to_numpy(dtype=bool)
    adopted = t["suggestion_adopted"].to_numpy(dtype=bool)
    fb = np.isin(cat, ["complaint", "feedback"]) & counted
    classified = epochs(t["classified_at"])

    def milestone(at: np.ndarray, limit: int) -> np.ndarray:  # True on time, False late, NaN pending
        late_blank = np.isnan(at) & (created + limit < as_of)
        ok = ~np.isnan(at) & (at - created <= limit)
        return np.where(ok, 1.0, np.where(late_blank | ~np.isnan(at), 0.0, np.nan))

    fb_ok = np.fmin(
        np.fmin(milestone(resp_end, 900), milestone(classified, 7200)), milestone(resolved, 86400)
    )

    s = data.surveys
    sg = month_index(epochs(s["submitted_at"]), bounds)
    score = s["score"].to_numpy(dtype="float64")

    notice = contract.base.availability.notice
    unplanned = unplanned_intervals(data.outages, as_of, notice)
    down = per_month_seconds(union(list(zip(unplanned["start"], unplanned["end"], strict=True))), bounds)
    incidents = []
    for service, rows in unplanned.groupby("service"):
        for a, b in union(list(zip(rows["start"], rows["end"], strict=True))):
            incidents.append((service, a, b))
    inc = pd.DataFrame(incidents, columns=["service", "start", "end"])
    inc_g = month_index(inc["start"].to_numpy(dtype="float64"), bounds)
    inc_ok = (inc["end"] - inc["start"]).to_numpy() <= contract.base.availability.restore_within

    m = data.measures
    own = m["source"].isna()

    rows = []
    for i, label in enumerate(labels):
        mt = g == i
        mc = mt & counted

        def rate(outcomes: np.ndarray, mask: np.ndarray = mt) -> float:
            met = int(((outcomes == "met") & mask).sum())
            breached = int(((outcomes == "breached") & mask).sum())
            return met / (met + breached)

        fb_m = fb_ok[fb & mt]
        fb_m = fb_m[~np.isnan(fb_m)]
        sm = sg == i
        values: dict[str, float] = {
            "response_within_target": rate(resp),
            "resolution_within_target": rate(res),
            "resolution_rate": (done & mc).sum() / mc.sum(),
            "first_contact_resolution": (fcr & done & mc).sum() / (done & mc).sum(),
            "complaint_rate": ((cat == "complaint") & mc).sum() / mc.sum(),
            "feedback_on_time": fb_m.mean(),
            "suggestion_adoption_rate": (adopted & (cat == "suggestion") & mc).sum()
            / ((cat == "suggestion") & mc).sum(),
            "csat_mean": score[sm].mean(),
            "csat_satisfied_share": (score[sm] >= 4).mean(),
            "availability": 1 - down[i] / (bounds[i + 1] - bounds[i]),
            "unplanned_downtime_minutes": down[i] / 60,
            "restored_in_time": inc_ok[inc_g == i].mean() if (inc_g == i).any() else np.nan,
        }
        for kpi in ("backup_success_rate", "recovery_time_hours"):
            hit = m.loc[own & (m["month"] == label) & (m["kpi"] == kpi), "value"]
            values[kpi] = float(hit.iloc[0]) if len(hit) else np.nan
        missed = set()
        for kpi, value in values.items():
            target = terms[i].target(kpi)
            if target is not None and not np.isnan(value) and not target.met_by(value):
                missed.add(kpi)
        timeouts = int(((resp == "breached") & mt).sum())
        pen = terms[i].penalties
        per_ticket = Decimal(str(pen.per_breached_ticket["response"])) / 100 * FEE
        per_kpi = Decimal(str(pen.per_missed_kpi)) / 100 * FEE
        cap = Decimal(str(pen.cap)) / 100 * FEE
        items = per_ticket * timeouts + per_kpi * len(missed)
        rows.append(
            {
                "month": label,
                **values,
                "missed": missed,
                "timeouts": timeouts,
                "items": items,
                "penalty": min(items, cap),
                "pending_resolution": int(((res == "pending") & mt).sum()),
                "open_breached": int(((res == "breached") & mt & ~done).sum()),
                "tickets": int(mt.sum()),
            }
        )
    return pd.DataFrame(rows).set_index("month")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate()


@pytest.fixture(scope="module")
def table(data: demo.DemoData) -> pd.DataFrame:
    return reference(data)


@pytest.fixture(scope="module")
def small() -> demo.DemoData:
    """For file round trips: the same generator, fewer rows."""
    return demo.generate(n_tickets=1500)


@pytest.fixture(scope="module")
def contract(data: demo.DemoData) -> Contract:
    c, _ = parse_contract(data.contract_text)
    assert c is not None
    return c


# ---------------------------------------------------------------- the contract file


# What the demo's contract adds to the spec's example: the seeds' terms that example leaves out
# (conditional targets, doc 002's deadlines, exclusions agreed by both parties, the contract's own KPIs).
SEED_TERMS = {
    "contract": {"provider_exclusions"},
    "kpis": {"workaround_within_target"},
    "obligations": {
        "satisfaction_evaluation_workdays",
        "satisfaction_results_day",
        "objection_workdays",
        "remedy_workdays",
        "major_complaint",
    },
    "targets": None,
    "custom_kpis": None,
}


def test_the_demo_contract_is_the_spec_example_with_the_seeds_other_terms() -> None:
    expected = (
        SPEC.read_bytes() if SPEC.exists() else (REPO / "tests/fixtures/contract.example.toml").read_bytes()
    )
    assert (REPO / "tests/fixtures/contract.example.toml").read_bytes() == expected  # the spec's, as it is
    text = demo.demo_contract_text()
    assert (REPO / "sla_core/data/contract.example.toml").read_text(encoding="utf-8") == text
    ours, spec = tomllib.loads(text), tomllib.loads(expected.decode("utf-8"))
    for section, keys in SEED_TERMS.items():
        if keys is None:
            assert section in ours and section not in spec
            del ours[section]
        else:
            assert keys <= set(ours[section]) and not keys & set(spec[section])
            ours[section] = {k: v for k, v in ours[section].items() if k not in keys}
    assert ours == spec  # everything else exactly as the spec's example
    contract, issues = parse_contract(text)
    assert contract is not None and not [i for i in issues if i.level == "error"]


# ---------------------------------------------------------------- shape and determinism


def test_frames_follow_the_schema(data: demo.DemoData) -> None:
    for kind in ("tickets", "surveys", "outages", "measures"):
        frame = getattr(data, kind)
        for col, dtype in SCHEMA[kind].items():  # type: ignore[literal-required]
            assert str(frame[col].dtype) == dtype or (dtype == "string" and frame[col].dtype == "string"), (
                kind,
                col,
                frame[col].dtype,
            )
    dims = [c for c in data.surveys.columns if c.startswith(DIMENSION_PREFIX)]
    assert dims == [DIMENSION_PREFIX + d for d in ("服务态度", "专业能力", "响应速度", "服务效果")]
    assert data.as_of == pd.Timestamp("2026-11-02 18:00:00", tz="Asia/Shanghai")
    assert data.months == tuple(f"2026-{m:02d}" for m in range(1, 11))
    ds = data.dataset()
    assert ds.has("tickets", "classified_at") and ds.has("surveys", "dim:服务态度")
    assert data.tickets["ticket_id"].is_unique and data.surveys["response_id"].is_unique


def test_deterministic(data: demo.DemoData) -> None:
    again = demo.generate()
    for kind in ("tickets", "surveys", "outages", "measures"):
        pd.testing.assert_frame_equal(getattr(data, kind), getattr(again, kind))
    assert again.as_of == data.as_of
    other = demo.generate(seed=7)
    assert not other.tickets["created_at"].equals(data.tickets["created_at"])


def test_mix_of_tickets(data: demo.DemoData) -> None:
    t = data.tickets
    assert 5500 <= len(t) <= 6500 and len(t) == demo.DEFAULT_TICKETS
    share = t["priority"].value_counts(normalize=True)
    assert (
        abs(share["P1"] - 0.05) < 0.015 and abs(share["P2"] - 0.25) < 0.03 and abs(share["P3"] - 0.70) < 0.03
    )
    assert set(t["team"].unique()) == {"桌面支持组", "网络组", "应用支持组", "服务台"}
    assert set(t["channel"].unique()) == {"电话", "邮件", "微信", "门户"}
    assert 5 <= t["customer"].nunique() <= 8
    assert set(t["category_raw"].unique()) == {"咨询", "故障", "服务请求", "投诉", "建议", "反馈"}
    assert set(t["category"].unique()) == {
        "inquiry",
        "fault",
        "request",
        "complaint",
        "suggestion",
        "feedback",
    }
    complaints = (t["category"] == "complaint").mean()
    assert 0.01 <= complaints <= 0.02
    fb = t["category"].isin(["complaint", "feedback"])
    assert t.loc[fb, "classified_at"].notna().all() and t.loc[~fb, "classified_at"].isna().all()
    assert t["paused_minutes"].notna().mean() > 0.03
    assert t.loc[t["category"] != "suggestion", "suggestion_adopted"].sum() == 0
    assert (t["reopened_count"] > 0).sum() > 50
    ex = t.loc[t["excluded"]]
    assert 3 <= len(ex) <= 10 and ex["exclusion_reason"].notna().all()
    assert "不可抗力：市政停电" in set(ex["exclusion_reason"])
    assert t.loc[~t["excluded"], "exclusion_reason"].isna().all()
    # closed 1–3 days after resolution
    gap = (t["closed_at"] - t["resolved_at"]).dt.total_seconds().dropna()
    assert gap.between(86400, 3 * 86400).all()
    # nothing after as_of; no milestone before creation
    for col in ("first_response_at", "resolved_at", "closed_at", "classified_at"):
        assert (t[col].dropna() <= data.as_of).all()
        assert ((t[col] >= t["created_at"]) | t[col].isna()).all()
    assert ((t["resolved_at"] >= t["first_response_at"]) | t["resolved_at"].isna()).all()
    status = t["status"].value_counts()
    assert set(status.index) <= {"new", "active", "pause", "resolved", "closed"}
    assert (t.loc[t["resolved_at"].isna(), "status"].isin(["new", "active", "pause"])).all()


def test_arrivals_follow_the_working_calendar(data: demo.DemoData, contract: Contract) -> None:
    cal = build_calendar(contract.base.calendar, "Asia/Shanghai", date(2026, 1, 1), date(2026, 12, 31))
    local = data.tickets["created_at"].dt.tz_convert("Asia/Shanghai")
    days = local.dt.date
    working = days.map(cal.is_working_day)
    in_hours = working & local.dt.hour.between(9, 17)
    assert in_hours.mean() > 0.75
    assert (~working).sum() > 100 and (local.dt.hour < 7).sum() > 20
    # official make-up workdays (Saturdays/Sundays) get working-day traffic; holidays little
    make_up = [date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
    per_day = days.value_counts()
    weekday_mean = per_day[[d for d in per_day.index if cal.is_working_day(d)]].mean()
    assert min(per_day.get(d, 0) for d in make_up) > 0.4 * weekday_mean
    assert per_day.get(date(2026, 10, 1), 0) < 0.4 * weekday_mean


# ---------------------------------------------------------------- planted facts


def test_planted_misses_and_penalties(table: pd.DataFrame) -> None:
    assert {m: set(v) for m, v in table["missed"].items()} == EXPECTED_MISSES
    assert table["timeouts"].to_dict() == EXPECTED_TIMEOUTS
    assert {m: (set(k), n) for m, (k, n) in demo.PLANTED.items()} == {
        m: (EXPECTED_MISSES[m], EXPECTED_TIMEOUTS[m]) for m in EXPECTED_MISSES
    }
    for kpis, _ in demo.PLANTED.values():  # listed in KPI table order
        assert list(kpis) == sorted(kpis, key=KPI_IDS.index)
    # the cap (40,000) bites exactly once: June, 3 KPIs + 3 timeouts = 60,000
    assert table.loc[table["items"] > 40_000].index.tolist() == ["2026-06"]
    assert table.loc["2026-06", "items"] == 60_000 and table.loc["2026-06", "penalty"] == 40_000
    assert {m: int(v) for m, v in table["penalty"].items()} == {
        "2026-01": 10_000, "2026-02": 20_000, "2026-03": 20_000, "2026-04": 30_000, "2026-05": 30_000,
        "2026-06": 40_000, "2026-07": 20_000, "2026-08": 20_000, "2026-09": 20_000, "2026-10": 20_000,
    }  # fmt: skip


def test_only_first_contact_resolution_misses_three_months_running(table: pd.DataFrame) -> None:
    streaks: dict[str, int] = {}
    longest: dict[str, int] = {}
    for missed in table["missed"]:
        for kpi in KPI_IDS:
            streaks[kpi] = streaks.get(kpi, 0) + 1 if kpi in missed else 0
            longest[kpi] = max(longest.get(kpi, 0), streaks[kpi])
    assert {k for k, n in longest.items() if n >= 3} == {"first_contact_resolution"}
    fcr = table["first_contact_resolution"]
    assert (fcr[["2026-03", "2026-04", "2026-05"]] < 0.85).all()
    assert (fcr.drop(["2026-03", "2026-04", "2026-05"]) >= 0.86).all()


def test_versions_matter(data: demo.DemoData, table: pd.DataFrame, contract: Contract) -> None:
    csat = table["csat_mean"]
    # August meets the old 4.5 but misses the 4.6 of the 2026-07 version; other months meet with margin
    assert 4.5 <= csat["2026-08"] < 4.6
    assert (csat.drop("2026-08") >= 4.62).all()
    assert (table["csat_satisfied_share"] >= 0.9).all()
    # September's only timeout: a P2 answered in 25 business minutes (old target 30m, new 20m)
    cal = build_calendar(contract.base.calendar, "Asia/Shanghai", date(2026, 1, 1), date(2026, 12, 31))
    t = data.tickets
    created = epochs(t["created_at"])
    business = cal.elapsed(created, epochs(t["first_response_at"]))
    sep = (t["created_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m") == "2026-09").to_numpy()
    p2 = (t["priority"] == "P2").to_numpy() & ~t["excluded"].to_numpy()
    late = sep & p2 & (business > 1200)
    assert late.sum() == 1 and business[late][0] == 1500
    # before July P2 responses run up to 27 min: met then, they would breach 20m
    h1 = (t["created_at"] < pd.Timestamp("2026-07-01", tz="Asia/Shanghai")).to_numpy()
    assert ((business > 1200) & (business <= 1800) & h1 & p2).sum() >= 5


def test_outage_edges(data: demo.DemoData, table: pd.DataFrame) -> None:
    o = data.outages
    assert set(o["service"]) == {"统一门户", "邮件系统", "OA系统", "VPN"}
    down = table["unplanned_downtime_minutes"]
    assert down["2026-06"] == 163 and table.loc["2026-06", "availability"] < 0.999
    assert table.loc["2026-06", "restored_in_time"] == 0.5
    assert (table["availability"].drop("2026-06") >= 0.999).all()
    # May: overlapping outages of two services; the union meets, the sum would not
    assert down["2026-05"] == 28
    may = o[(o["start"].dt.tz_convert("Asia/Shanghai").dt.month == 5) & ~o["planned"]]
    assert (may["end"] - may["start"]).dt.total_seconds().sum() / 60 == 46
    # July: maintenance announced 6 h ahead counts as unplanned (36 min: downtime misses, availability meets)
    assert down["2026-07"] == 36 and table.loc["2026-07", "availability"] >= 0.999
    # one unplanned outage crosses the August/September boundary
    start_m = o["start"].dt.tz_convert("Asia/Shanghai").dt.month
    end_m = o["end"].dt.tz_convert("Asia/Shanghai").dt.month
    assert ((start_m == 8) & (end_m == 9) & ~o["planned"]).sum() == 1
    assert down["2026-08"] == 19 and down["2026-09"] == 17
    # planned maintenance announced ≥ 24 h ahead, one exactly 24 h ahead
    notice = (o["start"] - o["announced_at"]).dt.total_seconds()
    assert (o["planned"] & (notice > 86400)).sum() >= 6
    assert (o["planned"] & (notice == 86400)).sum() == 1


def test_open_tickets_at_as_of(data: demo.DemoData, table: pd.DataFrame) -> None:
    # two P3 from Friday 30 October afternoon still within 24 business hours; one P3 from 26–28 October
    # and one P1 from the last week already over their resolution targets; every other ticket is done
    assert table.loc["2026-10", "pending_resolution"] == 2
    assert table.loc["2026-10", "open_breached"] == 2
    assert (table.drop("2026-10")[["pending_resolution", "open_breached"]] == 0).all().all()
    assert (table["resolution_rate"] >= 0.98).all()
    open_ = data.tickets.loc[data.tickets["resolved_at"].isna()]
    assert len(open_) == 4 and sorted(open_["priority"]) == ["P1", "P3", "P3", "P3"]
    assert open_["first_response_at"].notna().all() and open_["status"].isin(["active", "pause"]).all()


def test_survey_integrity_flags(data: demo.DemoData) -> None:
    s = data.surveys.sort_values(["submitted_at", "_row"])
    resolved = data.tickets["resolved_at"].notna().sum()
    assert 0.35 <= len(s) / resolved <= 0.45
    assert set(s["score"].unique()) <= {1, 2, 3, 4, 5}
    dup = s["ticket_id"].duplicated(keep="first")
    assert 10 <= dup.sum() <= 0.03 * len(s)
    dims = s[[c for c in s.columns if c.startswith(DIMENSION_PREFIX)]].to_numpy(dtype="float64")
    straight = (dims == dims[:, :1]).all(axis=1)
    assert 20 <= straight.sum() <= 0.04 * len(s)
    month = s["submitted_at"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m")
    median = s.groupby(month)["duration_seconds"].transform("median")
    speeder = s["duration_seconds"] < median / 3
    assert 20 <= speeder.sum() <= 0.04 * len(s)
    assert (s.loc[speeder, "duration_seconds"] <= 20).all() and (
        s.loc[~speeder, "duration_seconds"] >= 45
    ).all()
    assert s["comment"].notna().mean() > 0.4 and s["respondent"].notna().all()
    assert (s["submitted_at"] < pd.Timestamp("2026-11-01", tz="Asia/Shanghai")).all()


def test_measures_and_provider_figures(data: demo.DemoData, table: pd.DataFrame) -> None:
    m = data.measures
    own = m.loc[m["source"].isna()]
    # backup and recovery (doc 001), and the contract's own data accuracy (doc 003), every month
    assert set(own["kpi"]) == {"backup_success_rate", "recovery_time_hours", "data_accuracy"}
    assert len(own) == 30 and not own.duplicated(["month", "kpi"]).any()
    assert own.loc[own["kpi"] == "data_accuracy", "value"].min() >= 0.995
    provider = m.loc[m["source"] == "provider"]
    assert set(provider["kpi"]) == {"availability", "response_within_target"}
    differs = set()
    for row in provider.itertuples():
        if abs(row.value - table.loc[row.month, row.kpi]) > 1e-12:
            differs.add((row.month, row.kpi))
    assert differs == {("2026-06", "availability"), ("2026-09", "response_within_target")}


# ---------------------------------------------------------------- scale


def test_large_generation_keeps_proportions_and_verdicts() -> None:
    big = demo.generate(n_tickets=200_000)
    t = big.tickets
    assert len(t) == 200_000 and t["ticket_id"].is_unique
    share = t["priority"].value_counts(normalize=True)
    assert abs(share["P1"] - 0.05) < 0.01 and abs(share["P2"] - 0.25) < 0.02
    assert 0.01 <= (t["category"] == "complaint").mean() <= 0.02
    assert 0.15 <= len(big.surveys) / len(t) <= 0.45
    table = reference(big)
    assert {m: set(v) for m, v in table["missed"].items()} == EXPECTED_MISSES
    assert table["timeouts"].to_dict() == EXPECTED_TIMEOUTS


# ---------------------------------------------------------------- files


def test_write_files_zh_xlsx(small: demo.DemoData, tmp_path: Path) -> None:
    data = small
    paths = demo.write_files(data, tmp_path)
    assert set(paths) == {"contract", "tickets", "surveys", "outages", "measures", "exclusions"}
    # the exclusions the client agreed (doc 003): every ticket the export excludes, with the client's name
    agreed = pd.read_csv(paths["exclusions"], dtype=str, encoding="utf-8-sig")
    assert list(agreed.columns) == ["ticket_id", "by", "reason"]
    assert set(agreed["ticket_id"]) == set(
        data.tickets.loc[data.tickets["exclusion_reason"].notna(), "ticket_id"]
    )
    assert set(agreed["by"]) == {"甲方示例有限公司"}
    assert paths["contract"].read_text(encoding="utf-8") == demo.demo_contract_text()
    tickets = pd.read_excel(paths["tickets"], engine="calamine", dtype=str)
    assert list(tickets.columns) == [
        "工单号", "创建时间", "优先级", "首次响应时间", "临时解决时间", "解决时间", "关闭时间", "状态", "类别", "渠道", "客户",
        "处理组", "处理人", "重开次数", "一次解决", "分类时间", "挂起分钟数", "建议采纳", "免责原因",
    ]  # fmt: skip
    assert len(tickets) == len(data.tickets)
    assert set(tickets["优先级"]) == {"紧急", "重要", "一般"}
    assert set(tickets["一次解决"].dropna()) == {"是", "否"}
    assert tickets["创建时间"].str.fullmatch(r"2026-\d\d-\d\d \d\d:\d\d:\d\d").all()
    first = data.tickets["created_at"].iloc[0].tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M:%S")
    assert tickets["创建时间"].iloc[0] == first
    surveys = pd.read_excel(paths["surveys"], engine="calamine")
    assert list(surveys.columns) == [
        "回访编号", "工单号", "提交时间", "总体满意度", "服务态度", "专业能力", "响应速度", "服务效果",
        "受访人", "渠道", "处理组", "评价", "答题时长(秒)",
    ]  # fmt: skip
    outages = pd.read_excel(paths["outages"], engine="calamine")
    assert list(outages.columns) == [
        "服务",
        "开始时间",
        "结束时间",
        "计划内",
        "通知时间",
        "级别",
        "原因",
        "描述",
    ]
    measures = pd.read_excel(paths["measures"], engine="calamine")
    assert list(measures.columns) == ["月份", "指标", "数值", "来源", "备注"]
    assert len(measures) == len(data.measures)


def test_canonical_csv(small: demo.DemoData, tmp_path: Path) -> None:
    data = small
    paths = demo.canonical_files(data, tmp_path)
    tickets = pd.read_csv(paths["tickets"], dtype=str, keep_default_na=False)
    assert list(tickets.columns) == [c for c in SCHEMA["tickets"] if c not in ("category_raw", *DERIVED)]
    assert set(tickets["priority"]) == {"P1", "P2", "P3"}
    assert set(tickets["status"]) <= {"new", "active", "pause", "resolved", "closed"}
    surveys = pd.read_csv(paths["surveys"])
    assert list(surveys.columns)[:4] == ["response_id", "ticket_id", "submitted_at", "score"]
    assert {"服务态度", "专业能力", "响应速度", "服务效果", "duration_seconds"} <= set(surveys.columns)
    outages = pd.read_csv(paths["outages"])
    assert list(outages.columns) == list(SCHEMA["outages"])
    measures = pd.read_csv(paths["measures"])
    assert list(measures.columns) == list(SCHEMA["measures"])
    zh = demo.write_files(data, tmp_path / "zh", fmt="csv")
    assert zh["tickets"].read_bytes()[:3] == b"\xef\xbb\xbf"


def test_engine_agrees(data: demo.DemoData, contract: Contract) -> None:
    """The KPI engine, run on the canonical frames, finds the planted verdicts, penalties and obligations."""
    engine = pytest.importorskip("sla_core.evaluate")
    ev = engine.evaluate(contract, data.dataset(), as_of=data.as_of.timestamp())
    assert {
        m.label: {v.kpi for v in m.verdicts if v.status == "missed"} for m in ev.months
    } == EXPECTED_MISSES
    amounts = {m.label: m.penalty.to_json()["amount"] for m in ev.months}
    assert amounts["2026-06"] == 40_000 and sum(amounts.values()) == 230_000
    assert [m.label for m in ev.months if not m.final] == ["2026-10"]
    due = {(o.kind, o.due.isoformat() if hasattr(o.due, "isoformat") else o.due) for o in ev.obligations}
    assert ("improvement_plan", "2026-06-15") in due
    assert ("satisfaction_investigation", "2026-09-02") in due
    flagged = ev.reconciliation.loc[ev.reconciliation["flagged"], ["month", "kpi"]]
    assert set(map(tuple, flagged.to_numpy())) == {
        ("2026-06", "availability"),
        ("2026-09", "response_within_target"),
    }
