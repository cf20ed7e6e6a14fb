"""The Breaches screen's rules, out of the page: which months may close, what an improvement action
answers, whether an exemption request may be recorded, which survey responses may be excluded, and the
registers as tables headed in the reader's language. Hand-made cases, hand-computed answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from builders import dataset, make_contract

from sla_core import views
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.store import ActionChange, AuditEntry, Exemption, SurveyExclusion
from sla_core.surveys import Exclusion

C = make_contract()


def _ticket(ticket_id: str, created: str, resolved: str | None, priority: str = "P3") -> dict[str, object]:
    return dict(
        ticket_id=ticket_id,
        created_at=created,
        priority=priority,
        first_response_at=created[:-2] + "05" if resolved else None,
        resolved_at=resolved,
    )


def _march_done() -> list[dict[str, object]]:
    return [_ticket("M-1", "2026-03-02 10:00", "2026-03-02 11:00")]


def test_an_ended_month_without_pending_tickets_may_close_the_running_one_not() -> None:
    data = dataset(tickets=[*_march_done(), _ticket("A-1", "2026-04-01 10:00", "2026-04-01 11:00")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-04-15", C))
    assert [m.label for m in ev.months] == ["2026-03", "2026-04"]
    assert views.closable_months(ev) == ["2026-03"]  # April has not ended


def test_a_month_with_a_pending_ticket_may_not_close() -> None:
    # an open P3 of 31 March 17:00 still has 1.5 h of its 2 business hours to respond at 09:30 on 1 April
    data = dataset(tickets=[*_march_done(), _ticket("M-2", "2026-03-31 17:00", None)])
    ev = evaluate(C, data, as_of=parse_as_of("2026-04-01T09:30:00", C))
    assert ev.month("2026-03").final is False  # type: ignore[union-attr]
    assert views.closable_months(ev) == []
    done = evaluate(C, dataset(tickets=_march_done()), as_of=parse_as_of("2026-04-01T09:30:00", C))
    assert views.closable_months(done) == ["2026-03"]


def test_a_closed_month_may_not_close_again_and_what_it_settles_is_its_result() -> None:
    data = dataset(tickets=_march_done())
    as_of = parse_as_of("2026-04-15", C)
    first = evaluate(C, data, as_of=as_of)
    settled = views.settled_json(first, "2026-03")
    assert json.loads(settled) == first.month("2026-03").to_json()  # type: ignore[union-attr]
    again = evaluate(C, data, as_of=as_of, frozen={"2026-03": json.loads(settled)})
    assert views.closable_months(again) == []
    with pytest.raises(KeyError):
        views.settled_json(first, "2026-05")


def test_an_action_answers_a_miss_or_an_obligation_never_a_provider_report() -> None:
    # a P1 answered after an hour misses the 15-minute response target: one breached ticket in March
    late = dict(
        _ticket("M-1", "2026-03-02 09:00", "2026-03-02 12:00", "P1"), first_response_at="2026-03-02 10:00"
    )
    ev = evaluate(C, dataset(tickets=[late]), as_of=parse_as_of("2026-04-15", C))
    links = views.action_links(ev)
    missed = [(m.label, v.kpi) for m in ev.months for v in m.verdicts if v.status == "missed"]
    assert missed and [("miss", f"{k}:{m}") for m, k in missed] == [x for x in links if x[0] == "miss"]
    kinds = {o.id: o.kind for o in ev.obligations}
    assert all(kinds[ref] != "provider_report" for kind, ref in links if kind == "obligation")
    assert any(o.kind == "provider_report" for o in ev.obligations)  # there was one to leave out
    kpi, month = missed[0][1], missed[0][0]
    assert views.link_target(ev, ("miss", f"{kpi}:{month}")) == (kpi, [month])
    assert views.link_target(ev, None) == (None, [])
    assert views.link_target(ev, ("obligation", "no-such-obligation")) == (None, [])


def test_an_exemption_request_needs_a_known_ticket_a_reason_and_for_a_regrade_a_priority() -> None:
    ev = evaluate(C, dataset(tickets=_march_done()), as_of=parse_as_of("2026-04-15", C))
    assert views.exemption_problem(ev, "M-1", "exempt", None, "客户原因", "zh") is None
    assert views.exemption_problem(ev, " M-1 ", "regrade", "P4", "reason", "en") is None
    assert views.exemption_problem(ev, "M-1", "exempt", None, "  ", "en") == "Ticket and reason are required."
    assert views.exemption_problem(ev, "", "exempt", None, "why", "zh") == "工单号和原因都要填写。"
    assert views.exemption_problem(ev, "M-9", "exempt", None, "why", "en") == "Ticket M-9 is not in the data."
    assert (
        views.exemption_problem(ev, "M-1", "regrade", None, "why", "en")
        == "A regrade needs the new priority."
    )


def test_only_flagged_responses_not_yet_excluded_may_be_excluded_each_said_with_its_score_and_flags() -> None:
    surveys = [
        dict(response_id="S-1", submitted_at="2026-03-03 10:00", score=1.0, ticket_id="M-1"),
        dict(response_id="S-2", submitted_at="2026-03-03 10:00", score=5.0, ticket_id="M-1"),
        dict(response_id="S-3", submitted_at="2026-03-04 10:00", score=4.5, ticket_id="M-404"),
    ]
    ev = evaluate(C, dataset(tickets=_march_done(), surveys=surveys), as_of=parse_as_of("2026-04-15", C))
    flagged = ev.responses.set_index("response_id")["flags"].fillna("")
    expected = {
        rid: f"{rid} · {score:g} · {views.flag_text(flagged[rid], 'en')}"
        for rid, score in (("S-1", 1.0), ("S-2", 5.0), ("S-3", 4.5))
        if flagged[rid]
    }
    assert expected  # the case has flagged responses (a duplicate, an unknown ticket)
    assert views.excludable_responses(ev, "en") == expected
    first = next(iter(expected))
    excluded = evaluate(
        C,
        dataset(tickets=_march_done(), surveys=surveys),
        as_of=parse_as_of("2026-04-15", C),
        exclusions=[Exclusion(first, "ann", "duplicate")],
    )
    assert views.excludable_responses(excluded, "en") == {k: v for k, v in expected.items() if k != first}
    without = evaluate(C, dataset(tickets=_march_done()), as_of=parse_as_of("2026-04-15", C))
    assert views.excludable_responses(without, "en") == {}


AT = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def test_the_registers_are_tables_headed_in_the_readers_language() -> None:
    request = Exemption(7, "c", "M-1", "regrade", "P4", "客户原因", "ann", AT, "approved", "bob", AT, "同意")
    zh = views.exemptions_table([request], "zh")
    assert zh.columns.tolist() == [
        "编号",
        "工单号",
        "类型",
        "调整后优先级",
        "理由",
        "操作人",
        "决定",
        "审批人",
        "审批意见",
    ]
    assert zh.iloc[0].tolist() == [7, "M-1", "调整优先级", "P4", "客户原因", "ann", "已批准", "bob", "同意"]
    assert views.exemptions_table([], "en").columns.tolist()[:2] == ["Id", "Ticket"]

    exclusion = SurveyExclusion("c", "S-1", "duplicate", "ann", AT)
    en = views.survey_exclusions_table([exclusion], "en")
    assert en.columns.tolist() == ["Response", "Reason", "By", "Time"]
    assert en.iloc[0].tolist() == [
        "S-1",
        "duplicate",
        "ann",
        datetime(2026, 6, 1, 1, 0),
    ]  # shown without zone

    change = ActionChange(1, 2, AT, "ann", "updated", {"status": ["open", "done"]})
    history = views.action_history_table([change], "en")
    assert history.columns.tolist() == ["Time", "By", "Change"] and history.iloc[0, 1] == "ann"

    entry = AuditEntry(
        1, AT, "ann", "month.close", "c", {"month": "2026-03", "data_version": "7"}
    )  # as the store writes it
    audit = views.audit_table([entry], "zh")
    assert audit.columns.tolist() == ["时间", "操作人", "类型", "变更"]
    assert audit.iloc[0, 3] == "2026年3月"  # the month closed, in words, not the entry's JSON
