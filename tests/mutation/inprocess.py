"""Re-run chosen mutmut mutants in one pytest process: how every kill and every "equivalent" in
`tests/mutation/survivors/` was checked.

In a scratch copy of the repository, put mutmut's mutated module (`mutants/sla_core/<module>.py`, with
every mutant of it inside, switched by name) in place of `sla_core/<module>.py`, list mutant names one per
line (start with `sla_core.<module>.baseline_none`, no mutant on: it must survive), then:

    MM_NAMES=names.txt MM_OUT=out.tsv PYTHONPATH=. .venv/bin/python -m pytest -p no:cacheprovider \
        -p tests.mutation.inprocess tests/core/test_<module>_edges.py ...

Each mutant is switched on in turn and the collected tests run until one fails; `out.tsv` gets one line per
mutant: name, KILLED or SURVIVED, and the killing test. Faster than mutmut for a few dozen mutants (no fork,
no coverage pass) and it runs exactly the tests named, new ones included.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol


def _durations() -> dict[str, float]:
    """mutmut's measured test durations, to run the fast tests first (none: collection order)."""
    stats = Path("mutants/mutmut-stats.json")
    if not stats.exists():
        return {}
    durations: dict[str, float] = json.loads(stats.read_text())["duration_by_test"]
    return durations


def pytest_runtestloop(session: pytest.Session) -> bool:
    from mutmut.mutation.trampoline import set_mutant_under_test

    names = [n.strip() for n in Path(os.environ["MM_NAMES"]).read_text().splitlines() if n.strip()]
    durations = _durations()
    items = sorted(session.items, key=lambda item: durations.get(item.nodeid, 0.0))
    with Path(os.environ["MM_OUT"]).open("a", buffering=1) as out:
        for name in names:
            set_mutant_under_test(name)
            killer = next(
                (
                    item.nodeid
                    for item in items
                    if any(r.failed for r in runtestprotocol(item, log=False, nextitem=None))
                ),
                None,
            )
            out.write(f"{name}\t{'KILLED' if killer else 'SURVIVED'}\t{killer or ''}\n")
    set_mutant_under_test(None)
    os.environ.pop("MUTANT_UNDER_TEST", None)
    return True
