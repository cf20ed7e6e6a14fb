"""Hand-made mutants of the KPI SQL (mutmut mutates Python only), run against the hand-computed tests.

    .venv/bin/python tests/mutation/sql_mutants.py            # every mutant; exit 1 if one survives
    .venv/bin/python tests/mutation/sql_mutants.py 1 2 --tests tests/core/test_kpis_edges.py
                                                             # mutants 1 and 2 (0-based) against one file

Each mutant is one textual change to a file in `sla_core/sql/` — a filter dropped or widened, a status
swapped, a sum turned into another aggregate, a breakdown mislabelled. For each, pytest runs the tests
that read that SQL with this module as a plugin (`-p sql_mutants`), which serves the mutated text from
`sla_core.queries.query`; the mutant is killed when a test fails. Equivalent mutants (no observable
difference, e.g. counting scores that can never be blank) are listed with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = [
    "tests/core/test_kpis.py",
    "tests/core/test_kpis_edges.py",
    "tests/core/test_outcomes.py",
    "tests/core/test_targets.py",
    "tests/core/test_custom_kpis.py",
    "tests/core/test_consequences.py",
    "tests/core/test_surveys.py",
    "tests/core/test_availability.py",
]

# (file, text, replacement): each must occur exactly once in its file
MUTANTS: list[tuple[str, str, str]] = [
    ("ticket_counts", "count(*) FILTER (WHERE NOT excluded) AS tickets,", "count(*) AS tickets,"),
    (
        "ticket_counts",
        "(WHERE response_status = 'met') AS response_met",
        "(WHERE response_status IN ('met', 'pending')) AS response_met",
    ),
    (
        "ticket_counts",
        "(WHERE response_status IN ('met', 'breached')) AS response_judged",
        "(WHERE response_status IN ('met', 'breached', 'pending')) AS response_judged",
    ),
    (
        "ticket_counts",
        "(WHERE resolution_status = 'met') AS resolution_met",
        "(WHERE resolution_status <> 'breached') AS resolution_met",
    ),
    (
        "ticket_counts",
        "(WHERE resolution_status IN ('met', 'breached')) AS resolution_judged",
        "(WHERE resolution_status = 'met') AS resolution_judged",
    ),
    (
        "ticket_counts",
        "(WHERE workaround_status = 'met') AS workaround_met",
        "(WHERE workaround_status IN ('met', 'breached')) AS workaround_met",
    ),
    (
        "ticket_counts",
        "(WHERE workaround_status IN ('met', 'breached')) AS workaround_judged",
        "(WHERE workaround_status IN ('met', 'breached', 'pending')) AS workaround_judged",
    ),
    ("ticket_counts", "(WHERE resolved AND NOT excluded) AS resolved,", "(WHERE resolved) AS resolved,"),
    (
        "ticket_counts",
        "(WHERE resolved AND NOT excluded AND first_contact_resolved) AS first_contact",
        "(WHERE resolved AND first_contact_resolved) AS first_contact",
    ),
    (
        "ticket_counts",
        "(WHERE resolved AND NOT excluded AND reopened) AS reopened",
        "(WHERE resolved AND NOT excluded) AS reopened",
    ),
    (
        "ticket_counts",
        "(WHERE NOT excluded AND category = 'complaint') AS complaints",
        "(WHERE category = 'complaint') AS complaints",
    ),
    (
        "ticket_counts",
        "(WHERE feedback_status = 'on_time') AS feedback_on_time",
        "(WHERE feedback_status IN ('on_time', 'pending')) AS feedback_on_time",
    ),
    (
        "ticket_counts",
        "(WHERE feedback_status IN ('on_time', 'late')) AS feedback_judged",
        "(WHERE feedback_status = 'on_time') AS feedback_judged",
    ),
    (
        "ticket_counts",
        "(WHERE NOT excluded AND category = 'suggestion') AS suggestions,",
        "(WHERE category = 'suggestion') AS suggestions,",
    ),
    (
        "ticket_counts",
        "AND category = 'suggestion' AND suggestion_adopted) AS suggestions_adopted",
        "AND category = 'suggestion') AS suggestions_adopted",
    ),
    (
        "ticket_counts",
        "(WHERE resolved AND NOT excluded AND surveyed) AS resolved_surveyed",
        "(WHERE resolved AND surveyed) AS resolved_surveyed",
    ),
    ("ticket_counts", "WHEN GROUPING(team) = 0 THEN 'team'", "WHEN GROUPING(team) = 0 THEN 'channel'"),
    (
        "ticket_counts",
        "WHEN GROUPING(customer) = 0 THEN coalesce(customer, '')",
        "WHEN GROUPING(customer) = 0 THEN coalesce(team, '')",
    ),
    (
        "ticket_counts",
        "sum(resolution_met)::BIGINT AS resolution_met",
        "max(resolution_met)::BIGINT AS resolution_met",
    ),
    ("ticket_counts", "sum(complaints)::BIGINT AS complaints", "count(complaints)::BIGINT AS complaints"),
    ("survey_counts", "count(score) FILTER (WHERE satisfied) AS satisfied", "count(score) AS satisfied"),
    ("survey_counts", "sum(score) AS score_sum", "max(score) AS score_sum"),
    ("survey_counts", "sum(score_sum) AS score_sum", "avg(score_sum) AS score_sum"),
    ("survey_counts", "WHEN GROUPING(channel) = 0 THEN 'channel'", "WHEN GROUPING(channel) = 0 THEN 'team'"),
    (
        "distributions",
        "quantile_disc(response_seconds, 0.5) FILTER (WHERE responded) AS response_median",
        "quantile_cont(response_seconds, 0.5) FILTER (WHERE responded) AS response_median",
    ),
    (
        "distributions",
        "quantile_disc(resolution_seconds, 0.9) FILTER (WHERE resolved) AS resolution_p90",
        "quantile_disc(resolution_seconds, 0.8) FILTER (WHERE resolved) AS resolution_p90",
    ),
    ("distributions", "WHERE NOT excluded", "WHERE true"),
    ("distributions", "count(*) FILTER (WHERE resolved) AS resolution_count", "count(*) AS resolution_count"),
    (
        "share_counts",
        "count(*) FILTER (WHERE status = 'met') AS met",
        "count(*) FILTER (WHERE status <> 'breached') AS met",
    ),
    ("share_counts", "count(*) FILTER (WHERE status IN ('met', 'breached')) AS judged", "count(*) AS judged"),
    (
        "share_counts",
        "WHEN GROUPING(team) = 0 THEN coalesce(team, '')",
        "WHEN GROUPING(team) = 0 THEN coalesce(channel, '')",
    ),
]
# mutants with no observable effect, and why (listed, not run)
EQUIVALENT: list[tuple[str, str, str, str]] = [
    (
        "survey_counts",
        "count(score) AS responses",
        "count(*) AS responses",
        "a response without a score is an import error: score is never blank here",
    ),
]


def pytest_configure(config: object) -> None:  # the plugin side: serve the mutated text
    index = os.environ.get("SLA_SQL_MUTANT")
    if index is None:
        return
    name, text, replacement = MUTANTS[int(index)]
    from sla_core import kpis, queries

    original = queries.query

    def mutated(query_name: str) -> str:
        sql = original(query_name)
        return sql.replace(text, replacement) if query_name == name else sql

    queries.query = mutated  # type: ignore[assignment]
    kpis.query = mutated  # type: ignore[attr-defined]


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="hand-made mutants of sla_core/sql/*.sql")
    parser.add_argument("index", nargs="*", type=int, help="only these mutants (0-based)")
    parser.add_argument("--tests", nargs="+", default=TESTS, help="test files to run (default: TESTS)")
    args = parser.parse_args()
    for name, text, _ in MUTANTS:
        count = (ROOT / "sla_core" / "sql" / f"{name}.sql").read_text(encoding="utf-8").count(text)
        if count != 1:
            print(f"{name}.sql: {text!r} occurs {count} times", file=sys.stderr)
            return 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent)])}
    survived = []
    started = time.perf_counter()
    chosen = args.index or range(len(MUTANTS))
    for i in chosen:
        name, text, replacement = MUTANTS[i]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "sql_mutants",
                *args.tests,
            ],
            cwd=ROOT,
            env={**env, "SLA_SQL_MUTANT": str(i)},
            capture_output=True,
            text=True,
            check=False,
        )
        killed = done.returncode != 0
        print(f"{'killed ' if killed else 'SURVIVED'}  [{i}] {name}.sql: {text} → {replacement}")
        if not killed:
            survived.append(i)
    for name, text, replacement, why in EQUIVALENT:
        print(f"equivalent {name}.sql: {text} → {replacement} ({why})")
    total = len(chosen)
    print(
        f"{total - len(survived)}/{total} killed ({(total - len(survived)) / total:.0%}), "
        f"{len(EQUIVALENT)} equivalent not run, {time.perf_counter() - started:.0f} s"
    )
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
