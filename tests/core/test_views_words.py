"""Tables speak the page's language: canonical categories by their names, other values as written."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core import views
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.i18n import category_label

C = make_contract()


def _breached(category: str) -> dict[str, object]:
    # P1 (24x7, response 15 min) answered after an hour: breached
    return dict(
        ticket_id=f"T-{category}",
        created_at="2026-03-02 09:00",
        priority="P1",
        first_response_at="2026-03-02 10:00",
        resolved_at="2026-03-02 10:30",
        category=category,
    )


def test_breached_tickets_name_their_category_in_the_users_language() -> None:
    data = dataset(tickets=[_breached("fault"), _breached("其他类")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-03-31", C))
    rows = ev.tickets.loc[ev.tickets["response_status"] == "breached"]
    assert len(rows) == 2
    zh = views.breached_table(ev, rows, "zh").set_index("ticket_id")["category"]
    en = views.breached_table(ev, rows, "en").set_index("ticket_id")["category"]
    assert zh["T-fault"] == "故障" and en["T-fault"] == "Fault"
    assert zh["T-其他类"] == "其他类" == en["T-其他类"]  # not a canonical category: as written


def test_category_names_follow_the_spec() -> None:
    assert [category_label(c, "zh") for c in ("inquiry", "fault", "request", "complaint")] == [
        "咨询",
        "故障",
        "需求",
        "投诉",
    ]
    assert category_label("unknown", "en") == "unknown"
