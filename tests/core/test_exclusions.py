"""Exclusions need both parties (doc 003 二(三): "定义例外情形：列出不可抗力或双方约定的免责情形", and
"问题分级需双方确认"): an exclusion in the provider's export is a request until the client approves it."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from builders import EXAMPLE_TEXT, dataset, frame, make_contract

from sla_core import exclusions, workspace
from sla_core import store as st
from sla_core.evaluate import evaluate, parse_as_of


def late(tid, day, **more):
    """A P2 ticket answered after 1 hour (30 min target): 10,000 (5% of the fee) unless excluded."""
    return dict(
        ticket_id=tid,
        created_at=f"{day} 09:00",
        priority="P2",
        first_response_at=f"{day} 10:00",
        resolved_at=f"{day} 11:00",
        **more,
    )


ROWS = [
    late("POWER", "2026-03-10", exclusion_reason="不可抗力：市政停电"),
    late("FLAG", "2026-03-11", excluded=True),
    late("GONE", "2026-03-12", exclusion_reason="cancelled"),
    late("PLAIN", "2026-03-13"),
]


def ticket_penalties(contract, data):
    ev = evaluate(contract, data, as_of=parse_as_of("2026-04-30", contract))
    return sorted(i.ref for i in ev.month("2026-03").penalty.items if i.kind == "breached_ticket")


def test_an_exclusion_in_the_export_counts_until_the_client_approves_it():
    """POWER and FLAG are excluded by the export; until approved both count (and breach); GONE was
    cancelled — a status, not a request — and stays out."""
    c = make_contract()
    data = dataset(tickets=ROWS)
    waiting = exclusions.settle(c, data, approved=())
    assert ticket_penalties(c, waiting) == ["FLAG", "PLAIN", "POWER"]
    [note] = [i for i in waiting.issues if i.code == "exclusions.awaiting_approval"]
    assert note.value == "2"
    agreed = exclusions.settle(c, data, approved={"POWER"})
    assert ticket_penalties(c, agreed) == ["FLAG", "PLAIN"]
    assert data.tickets["exclusion_reason"].notna().sum() == 2  # the input is left as it was


def test_a_contract_may_trust_the_export():
    c = make_contract({"contract": {"provider_exclusions": "accepted"}})
    data = dataset(tickets=ROWS)
    assert exclusions.settle(c, data, approved=()) is data
    assert ticket_penalties(c, data) == ["PLAIN"]


def test_the_policy_follows_the_version_in_force_for_the_tickets_month():
    c = make_contract(
        versions=[{"effective_from": "2026-04-01", "contract": {"provider_exclusions": "accepted"}}]
    )
    rows = [
        late("MAR", "2026-03-10", exclusion_reason="停电"),
        late("APR", "2026-04-10", exclusion_reason="停电"),
    ]
    settled = exclusions.settle(c, dataset(tickets=rows), approved=())
    t = settled.tickets.set_index("ticket_id")
    assert not t.loc["MAR", "excluded"] and t.loc["MAR", "exclusion_reason"] is pd.NA
    assert t.loc["APR", "exclusion_reason"] == "停电"


def test_the_register_lists_every_exclusion_with_who_asked_and_who_approved():
    c = make_contract()
    decisions = {
        "POWER": exclusions.Decision("POWER", "approved", "不可抗力：市政停电", "provider_export", "李经理"),
        "FLAG": exclusions.Decision("FLAG", "rejected", "", "provider_export", "李经理"),
        "PLAIN": exclusions.Decision("PLAIN", "pending", "客户原因", "乙方张三"),
    }
    table = exclusions.register(c, dataset(tickets=ROWS).tickets, decisions).set_index("ticket_id")
    assert table.loc["POWER", ["reason", "asked_by", "approved_by", "status"]].tolist() == [
        "不可抗力：市政停电",
        "provider_export",
        "李经理",
        "approved",
    ]
    assert table.loc["FLAG", "status"] == "rejected"
    assert table.loc["GONE", ["status", "approved_by"]].tolist() == ["cancelled", ""]
    assert table.loc["PLAIN", ["asked_by", "status", "approved_by"]].tolist() == ["乙方张三", "pending", ""]
    assert table.loc["POWER", "month"] == "2026-03"


def test_approving_an_export_exclusion_in_the_store_changes_the_month_at_once(tmp_path):
    """One process: the export's exclusion counts (10,000) until the client approves it through the
    exemption workflow; then the month's penalty drops by its item."""
    s = st.open_store(tmp_path / "sla.duckdb")
    cid = st.save_contract(s, EXAMPLE_TEXT, "qm").contract_id
    rows = [late("POWER", "2026-03-10", exclusion_reason="不可抗力：市政停电"), late("PLAIN", "2026-03-13")]
    columns = sorted({k for r in rows for k in r})
    st.import_frame(
        s,
        cid,
        "tickets",
        frame("tickets", rows),
        file_name="t.xlsx",
        sha256="1",
        columns_present=columns,
        user="qm",
    )
    before = workspace.snapshot(s, cid).evaluation.month("2026-03").penalty
    assert sorted(i.ref for i in before.items if i.kind == "breached_ticket") == ["PLAIN", "POWER"]
    assert workspace.exclusion_register(s, cid).set_index("ticket_id").loc["POWER", "status"] == "pending"
    workspace.decide_export_exclusion(s, cid, "POWER", "不可抗力：市政停电", "approved", "李经理", "双方确认")
    after = workspace.snapshot(s, cid).evaluation.month("2026-03").penalty
    assert sorted(i.ref for i in after.items if i.kind == "breached_ticket") == ["PLAIN"]
    assert before.amount - after.amount == Decimal("10000.00")
    row = workspace.exclusion_register(s, cid).set_index("ticket_id").loc["POWER"]
    assert (row["asked_by"], row["approved_by"], row["status"]) == ("provider_export", "李经理", "approved")


def test_the_register_is_read_again_when_an_import_changes_the_data(tmp_path):
    """The register is kept between page runs (it read every imported ticket each time), so a new
    import must make it new; without a change, the kept one is returned."""
    s = st.open_store(tmp_path / "sla.duckdb")
    cid = st.save_contract(s, EXAMPLE_TEXT, "qm").contract_id

    def load(rows: list[dict[str, object]], sha: str) -> None:
        columns = sorted({k for r in rows for k in r})
        st.import_frame(
            s,
            cid,
            "tickets",
            frame("tickets", rows),
            file_name="t.xlsx",
            sha256=sha,
            columns_present=columns,
            user="qm",
        )

    load([late("POWER", "2026-03-10", exclusion_reason="不可抗力：市政停电")], "1")
    first = workspace.exclusion_register(s, cid)
    assert workspace.exclusion_register(s, cid) is first  # nothing changed: the kept register
    assert first["ticket_id"].tolist() == ["POWER"]
    load([late("STORM", "2026-03-11", exclusion_reason="台风")], "2")
    assert sorted(workspace.exclusion_register(s, cid)["ticket_id"]) == ["POWER", "STORM"]
