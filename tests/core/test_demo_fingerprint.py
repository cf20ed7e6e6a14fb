"""The demo data did not change when `sla_core/demo.py` became the `sla_core/demo/` package.

The digests below were computed with `fingerprints()` on commit 64b36ab (branch i20c), BEFORE the
split, for a fixed size and the default seed: the four canonical frames (columns, dtypes, every value)
and the helpdesk-style export frames in both languages. A change to the generator that is meant to
change the data updates them on purpose, saying why in its commit.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from sla_core import demo

N_TICKETS = 1500

BEFORE_THE_SPLIT = {
    "tickets": "b85a98ff81836acf",
    "surveys": "64b7dc18178822b3",
    "outages": "af3a6fd1f2e6996f",
    "measures": "153630e9a972138e",
    "meta": "506eca19827a6851",
    "export_zh": "cd64acea800a7413",
    "export_en": "632bc1271e768834",
}


def _digest(frame: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()[:16]


def fingerprints(data: demo.DemoData) -> dict[str, str]:
    out = {kind: _digest(getattr(data, kind)) for kind in ("tickets", "surveys", "outages", "measures")}
    meta = repr((str(data.as_of), data.months, data.contract_text))
    out["meta"] = hashlib.sha256(meta.encode()).hexdigest()[:16]
    for lang in ("zh", "en"):
        frames = demo.export_frames(data, lang)
        joined = "".join(f"{name}:{_digest(frame)}" for name, frame in sorted(frames.items()))
        out[f"export_{lang}"] = hashlib.sha256(joined.encode()).hexdigest()[:16]
    return out


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate(n_tickets=N_TICKETS)


def test_the_demo_data_is_what_it_was_before_the_split(data: demo.DemoData) -> None:
    assert fingerprints(data) == BEFORE_THE_SPLIT


def test_the_fingerprint_sees_a_changed_value(data: demo.DemoData) -> None:
    changed = data.tickets.copy()
    changed.loc[changed.index[0], "priority"] = "P3" if changed["priority"].iloc[0] != "P3" else "P1"
    assert _digest(changed) != _digest(data.tickets)
