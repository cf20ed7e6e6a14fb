"""The command line on real exports as downloaded: the shape told from the file (`--shape` only
overrides), the reading overrides, and `--skip-invalid` refusing to skip more than 5% of the rows.

The example contract (Asia/Shanghai, China's calendar; P3 on business hours 09:00–18:00, 2 h response)
and the real ServiceNow sample (tests/fixtures/ingest/README.md), worked out by hand:

- INC0000045, opened Mon 2016-02-29 01:16, first past New at 08:53 (Resolved): before opening → 0 s.
- INC0003663, opened Mon 2016-03-07 14:55, Awaiting User Info at 17:41 → response 2 h 46 min = 9,960 s
  (breached); paused Awaiting User Info 17:41 → Thu 3/10 11:11 (19 min + 9 h + 9 h + 2 h 11 min =
  73,800 s) and resolved-then-reopened 11:11 → 12:04 (3,180 s): 76,980 s.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sla_core import store as S
from sla_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "tests" / "fixtures" / "contract.example.toml"
SERVICENOW = ROOT / "tests" / "fixtures" / "ingest" / "servicenow_incident_event_log_sample.csv"


def evaluate(capsys, *args: str) -> tuple[int, dict]:
    code = main(["evaluate", "--contract", str(CONTRACT), "--lang", "en", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def tickets_out(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return {r["ticket_id"]: r for r in csv.DictReader(f)}


def test_evaluate_reads_the_servicenow_log_as_a_status_history(capsys, tmp_path):
    out = tmp_path / "t.csv"
    code, doc = evaluate(capsys, "--tickets", str(SERVICENOW), "--tickets-out", str(out))
    assert code == 0
    assert [m["month"] for m in doc["months"]] == ["2016-02", "2016-03"]  # the months tickets were opened
    rows = tickets_out(out)
    assert list(rows) == ["INC0000045", "INC0003663"]
    a, b = rows["INC0000045"], rows["INC0003663"]
    assert (a["month"], a["priority"], a["response_seconds"], a["response_status"]) == (
        "2016-02",
        "P3",
        "0",
        "met",
    )
    assert (b["month"], b["response_seconds"], b["response_status"]) == ("2016-03", "9960", "breached")
    assert b["paused_seconds"] == "76980"
    codes = {w["code"] for w in doc["warnings"]}
    assert "history.duplicates" in codes and "tickets.no_first_response" not in codes


def test_evaluate_with_shape_ticket_reads_one_row_per_incident_without_a_response(capsys, tmp_path):
    out = tmp_path / "t.csv"
    code, doc = evaluate(capsys, "--tickets", str(SERVICENOW), "--shape", "ticket", "--tickets-out", str(out))
    assert code == 0
    rows = tickets_out(out)
    a = rows["INC0000045"]
    # the export's own resolved_at, 11:29: 09:00 → 11:29 on the business clock
    assert a["resolution_seconds"] == str(2 * 3600 + 29 * 60)
    # no first-response column: never the resolution time in its place
    assert (a["response_seconds"], a["response_status"]) == ("", "no_data")
    feb = doc["months"][0]
    response = next(k for k in feb["kpis"] if k["id"] == "response_within_target")
    assert response["status"] == "no_data" and response["value"] is None
    codes = [w["code"] for w in doc["warnings"]]
    assert "ingest.history_as_tickets" in codes and "tickets.no_first_response" in codes
    assert "ingest.kpi_no_data" in codes


def test_evaluate_reading_overrides(capsys, tmp_path):
    path = tmp_path / "t.txt"
    text = "导出说明\n工单号;创建时间;优先级;首次响应时间\nT1;2026-03-02 09:00;P1;2026-03-02 09:10\n"
    path.write_bytes(text.encode("gb18030"))
    code, doc = evaluate(
        capsys, "--tickets", str(path), "--delimiter", ";", "--encoding", "gb18030", "--header-row", "2"
    )
    assert code == 0
    march = doc["months"][0]
    response = next(k for k in march["kpis"] if k["id"] == "response_within_target")
    assert (response["numerator"], response["denominator"]) == (1, 1)
    assert any(w["code"] == "ingest.rows_above_header" for w in doc["warnings"])


def _tickets_with_bad_rows(path: Path, bad: int, total: int = 20) -> None:
    lines = ["工单号,创建时间,优先级"]
    for i in range(total):
        created = "not a time" if i < bad else "2026-03-02 09:00"
        lines.append(f"T{i},{created},P1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _import(capsys, db: Path, tickets: Path, *extra: str) -> tuple[int, str, str]:
    code = main(
        [
            "import",
            "--db",
            str(db),
            "--contract",
            str(CONTRACT),
            "--tickets",
            str(tickets),
            "--lang",
            "en",
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _stored(db: Path) -> int:
    store = S.open_store(db)
    return sum(b.rows for b in S.list_batches(store, "demo-helpdesk", "tickets"))


@pytest.mark.parametrize(
    ("bad", "extra", "stored", "code"),
    [
        (1, (), 19, 0),  # 1 of 20 = 5%: allowed (at most 5%)
        (2, (), 0, 2),  # 2 of 20 = 10%: refused, nothing stored
        (2, ("--max-skip", "10"), 18, 0),  # allowed when the user says so
        (3, ("--max-skip", "10"), 0, 2),
    ],
)
def test_skip_invalid_refuses_to_skip_more_than_the_limit(capsys, tmp_path, bad, extra, stored, code):
    tickets = tmp_path / "t.csv"
    _tickets_with_bad_rows(tickets, bad)
    db = tmp_path / "sla.duckdb"
    got, out, err = _import(capsys, db, tickets, "--skip-invalid", *extra)
    assert got == code
    assert _stored(db) == stored
    if code == 2:
        assert "more than the" in err and "--max-skip" in err and "nothing was stored" in err
        assert "rejected" in out


def test_an_event_log_with_skip_invalid_is_read_as_a_history_not_skipped_to_one_row(capsys, tmp_path):
    db = tmp_path / "sla.duckdb"
    got, out, err = _import(capsys, db, SERVICENOW, "--skip-invalid")
    assert got == 0, err
    assert "status history: 10 status changes → 2 tickets" in out
    assert "ServiceNow incident log (field names)" in out
    assert _stored(db) == 2
