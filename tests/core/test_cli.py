"""`python -m sla_core evaluate` end to end: the JSON against the spec's schema, the options, the exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from sla_core import demo
from sla_core.contract import KPI_IDS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "evaluate.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    return demo.write_files(demo.generate(), out, lang="zh", fmt="xlsx")


def run(*args: str) -> tuple[int, dict, str]:
    done = subprocess.run(
        [sys.executable, "-m", "sla_core", "evaluate", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    doc = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, doc, done.stderr


def base(files) -> list[str]:
    return [
        "--contract",
        str(files["contract"]),
        "--tickets",
        str(files["tickets"]),
        "--surveys",
        str(files["surveys"]),
        "--outages",
        str(files["outages"]),
        "--measures",
        str(files["measures"]),
        # the exclusions the client agreed (doc 003: both parties; the demo writes them beside the data)
        "--exclusions",
        str(files["exclusions"]),
    ]


def test_the_json_follows_the_schema_and_lists_every_kpi_in_order(files, tmp_path):
    out = tmp_path / "tickets.csv"
    code, doc, _ = run(*base(files), "--quarter", "2026Q3", "--tickets-out", str(out))
    assert code == 0
    jsonschema.validate(doc, SCHEMA)
    assert [m["month"] for m in doc["months"]] == ["2026-07", "2026-08", "2026-09"]
    assert [q["month"] for q in doc["quarters"]] == ["2026Q3"]
    # the spec's table in order; the demo contract's conditional targets name the workaround milestone, so
    # its KPI joins after resolution_within_target (spec "Rule (conditional targets)"); its own KPIs last
    # (spec "Rule (contract KPIs)")
    table = [*KPI_IDS[:2], "workaround_within_target", *KPI_IDS[2:], "chat_reply_2m", "data_accuracy"]
    for period in doc["months"] + doc["quarters"]:
        assert [k["id"] for k in period["kpis"]] == table
    august = doc["months"][1]
    assert august["contract_version"] == "2026-07-01"
    assert [k["id"] for k in august["kpis"] if k["status"] == "missed"] == ["csat_mean"]
    assert august["penalty"]["amount"] == 20000.0
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "ticket_id",
        "month",
        "priority",
        "clock",
        "response_seconds",
        "response_target_seconds",
        "response_status",
        "resolution_seconds",
        "resolution_target_seconds",
        "resolution_status",
        "paused_seconds",
        "exclusion_reason",
        "target_rule",  # spec "Rule (conditional targets)": blank where the priority's targets apply
        # the contract names the workaround milestone: its figures too
        "workaround_seconds",
        "workaround_target_seconds",
        "workaround_status",
    ]
    rules = {r["target_rule"] for r in rows}
    assert {"", "inquiry-15m", "initial-solution-4h", "after-hours-urgent"} <= rules
    assert {r["month"] for r in rows} == {"2026-07", "2026-08", "2026-09"}
    assert all(r["response_seconds"].isdigit() for r in rows)


def test_month_and_as_of_narrow_the_output(files):
    code, doc, _ = run(*base(files), "--month", "2026-06", "--as-of", "2026-10-31")
    assert code == 0
    jsonschema.validate(doc, SCHEMA)
    assert [m["month"] for m in doc["months"]] == ["2026-06"]
    assert doc["as_of"].startswith("2026-10-31T23:59:59+08:00")
    june = doc["months"][0]
    assert june["penalty"]["capped"] is True and june["penalty"]["amount"] == 40000.0
    assert june["final"] is True


def test_exclusions_remove_survey_responses(files, tmp_path):
    code, doc, _ = run(*base(files), "--month", "2026-08")
    mean = next(k for k in doc["months"][0]["kpis"] if k["id"] == "csat_mean")
    exclusions = tmp_path / "exclusions.csv"
    agreed = files["exclusions"].read_text(encoding="utf-8-sig")  # ticket_id,by,reason: kept
    exclusions.write_text(
        "response_id,ticket_id,by,reason\nHF0001767,,质量经理,重复评价\n"
        + "".join(f",{line}\n" for line in agreed.splitlines()[1:]),
        encoding="utf-8",
    )
    code, doc2, _ = run(*base(files), "--month", "2026-08", "--exclusions", str(exclusions))
    assert code == 0
    mean2 = next(k for k in doc2["months"][0]["kpis"] if k["id"] == "csat_mean")
    assert mean2["denominator"] == mean["denominator"] - 1


def test_exclusions_in_the_providers_export_count_until_the_client_agrees(files):
    """Doc 003: exclusions need both parties. Without the client's agreement the three typhoon tickets of
    12 August (planted with breaching times) count: August's response timeouts grow from 1 to 4 and its
    penalty to the cap; the warning says how many of the export's exclusions wait."""
    args = [a for a in base(files) if a not in ("--exclusions", str(files["exclusions"]))]
    code, doc, _ = run(*args, "--month", "2026-08")
    assert code == 0
    jsonschema.validate(doc, SCHEMA)
    [waiting] = [w for w in doc["warnings"] if w["code"] == "exclusions.awaiting_approval"]
    assert waiting["value"] == "7"  # 3 in March, 3 in August, 1 in September
    items = [i for i in doc["months"][0]["penalty"]["items"] if i["kind"] == "breached_ticket"]
    assert len([i for i in items if i["target"] == "response"]) == 4
    code, agreed, _ = run(*base(files), "--month", "2026-08")
    assert [w for w in agreed["warnings"] if w["code"] == "exclusions.awaiting_approval"] == []
    assert agreed["months"][0]["penalty"]["amount"] == 20000.0


def test_rejected_input_exits_2_with_the_issues_and_no_months(files, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("工单号,创建时间,优先级\nA,2026-10-01 09:00,超级紧急\n", encoding="utf-8")
    code, doc, err = run("--contract", str(files["contract"]), "--tickets", str(bad), "--lang", "en")
    assert code == 2
    jsonschema.validate(doc, SCHEMA)
    assert doc["months"] == [] and doc["issues"]
    issue = doc["issues"][0]
    assert (issue["row"], issue["column"], issue["value"]) == (2, "优先级", "超级紧急")
    assert "zh" in issue["message"] and "en" in issue["message"]
    assert "超级紧急" in err or "priority" in err


def test_a_bad_contract_exits_2_naming_the_key(files, tmp_path):
    text = (
        Path(files["contract"])
        .read_text(encoding="utf-8")
        .replace('response = "30m"', 'response = "30 mins"')
    )
    contract = tmp_path / "c.toml"
    contract.write_text(text, encoding="utf-8")
    code, doc, _ = run("--contract", str(contract), "--tickets", str(files["tickets"]))
    assert code == 2
    assert doc["issues"][0]["column"] == "priorities[2].response"


def test_tickets_out_keeps_formula_like_ids_as_text(files, tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "工单号,创建时间,优先级,首次响应时间,解决时间\n"
        '"=HYPERLINK(""http://evil.example"",""x"")",2026-10-08 09:00,P3,2026-10-08 09:10,2026-10-08 10:00\n'
        "+cmd|' /C calc'!A0,2026-10-08 09:00,P3,2026-10-08 09:10,2026-10-08 10:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    code, _, err = run(
        "--contract", str(files["contract"]), "--tickets", str(tickets), "--tickets-out", str(out)
    )
    assert code == 0, err
    with out.open(encoding="utf-8") as f:
        ids = [r["ticket_id"] for r in csv.DictReader(f)]
    assert sorted(ids) == ["'+cmd|' /C calc'!A0", '\'=HYPERLINK("http://evil.example","x")']


def test_a_typo_in_a_year_is_rejected_on_its_row_not_evaluated_over_centuries(files, tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "工单号,创建时间,优先级,首次响应时间,解决时间\n"
        "A,2026-03-02 09:00,P3,2026-03-02 09:10,2026-03-02 10:00\n"
        "B,1026-03-02 09:00,P3,2026-03-02 09:10,2026-03-02 10:00\n",
        encoding="utf-8",
    )
    code, doc, _ = run("--contract", str(files["contract"]), "--tickets", str(tickets), "--lang", "en")
    assert code == 2 and doc["months"] == []
    found = [
        (i["row"], i["column"], i["value"])
        for i in doc["issues"]
        if i["code"] == "ingest.implausible_timestamp"
    ]
    assert found == [(3, "创建时间", "1026-03-02 09:00")]


def test_trace_prints_the_rows_of_a_kpi_as_csv(files):
    """`evaluate --trace KPI --month M`: the rows behind the figure of the JSON, as CSV."""
    import io

    import pandas as pd

    code, doc, _ = run(*base(files), "--month", "2026-09")
    figure = next(k for k in doc["months"][0]["kpis"] if k["id"] == "response_within_target")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sla_core",
            "evaluate",
            *base(files),
            "--month",
            "2026-09",
            "--trace",
            "response_within_target",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(io.StringIO(done.stdout))
    assert len(rows) == figure["denominator"] and rows["numerator"].sum() == figure["numerator"]
    assert set(rows["month"]) == {"2026-09"} and {"ticket_id", "response_status", "response_target"} <= set(
        rows
    )
    code, _, err = run(*base(files), "--month", "2026-09", "--trace", "no_such_kpi")
    assert code == 2 and "no_such_kpi" in err
    code, _, err = run(*base(files), "--trace", "csat_mean")
    assert code == 2
