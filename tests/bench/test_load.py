"""bench/load.py's page runs: a run counts only when the page asked for ran to its end without an error
(a root that switches to /overview, or a run ended early, is not a page drawn)."""

from __future__ import annotations

import asyncio

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import PAGES, Result, Run, Session

HASHES = {"home": "h0", "overview": "h1", "timeliness": "h2"}


def _navigation(running: str) -> bytes:
    fwd = ForwardMsg()
    for path, digest in HASHES.items():
        page = fwd.navigation.app_pages.add()
        page.url_pathname = path
        page.page_script_hash = digest
    fwd.navigation.page_script_hash = HASHES[running]
    return fwd.SerializeToString()


def _finished(status: int) -> bytes:
    fwd = ForwardMsg()
    fwd.script_finished = status  # type: ignore[assignment]
    return fwd.SerializeToString()


def _error_alert() -> bytes:
    fwd = ForwardMsg()
    fwd.delta.new_element.alert.body = "boom"
    fwd.delta.new_element.alert.format = 1  # Alert.ERROR
    return fwd.SerializeToString()


class FakeSocket:
    def __init__(self, answers: list[bytes]) -> None:
        self.answers = answers
        self.sent: list[bytes] = []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)

    async def recv(self) -> bytes:
        return self.answers.pop(0)


def _run(path: str, answers: list[bytes]) -> Run:
    session = Session(0, "http://127.0.0.1:1")
    session.ws = FakeSocket(answers)
    return asyncio.run(session.page(path))


def test_the_pages_are_addresses_the_root_is_not_one() -> None:
    assert PAGES[0] == "overview"
    assert "" not in PAGES


def test_a_page_that_ran_to_its_end_is_a_good_run() -> None:
    run = _run("overview", [_navigation("overview"), _finished(ForwardMsg.FINISHED_SUCCESSFULLY)])
    assert (run.ok, run.drawn, run.errors) == (True, "overview", 0)


def test_another_page_than_the_one_asked_for_is_a_failed_run() -> None:
    run = _run("timeliness", [_navigation("overview"), _finished(ForwardMsg.FINISHED_SUCCESSFULLY)])
    assert (run.ok, run.drawn) == (False, "overview")


def test_a_switch_to_another_page_is_waited_for_and_the_last_page_counts() -> None:
    answers = [
        _navigation("home"),
        _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN),
        _navigation("overview"),
        _finished(ForwardMsg.FINISHED_SUCCESSFULLY),
    ]
    run = _run("home", answers)
    assert (run.ok, run.drawn) == (False, "overview")  # asked for the root, got the Overview
    assert answers == []  # it waited for the second run


def test_an_error_drawn_fails_the_run() -> None:
    answers = [_navigation("overview"), _error_alert(), _finished(ForwardMsg.FINISHED_SUCCESSFULLY)]
    run = _run("overview", answers)
    assert (run.ok, run.errors) == (False, 1)


def test_the_summary_counts_failures_per_page_and_times_only_good_runs() -> None:
    result = Result(1, 10.0, None)
    result.runs = [
        Run(0, "overview", 1.0, True, 0, "overview"),
        Run(0, "timeliness", 9.0, False, 0, "overview"),
    ]
    summary = result.summary()
    assert summary["failed_runs"] == 1
    assert summary["failed_per_page"]["timeliness"] == 1
    assert summary["failed_per_page"]["overview"] == 0
    assert summary["max_s"] == 1.0
    assert summary["runs_per_second"] == 0.1
