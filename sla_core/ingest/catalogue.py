"""Export titles in the exporting user's language, taken from the tools' own translation catalogues.

`sla_core/data/catalogues/titles.csv` holds, per tool, each export column title (and status and
priority word) in Simplified and Traditional Chinese, English, and where cheap Brazilian Portuguese,
Spanish, French and German, with where each came from (repository, path, commit, msgctxt, msgid). It
is written by `sla_core/data/catalogues/extract_titles.py` (run by hand, never at runtime); here it only
extends the built-in presets, so that a GLPI export from a Chinese desk ("开启日期", "优先权") is
recognised as GLPI and read without a mapping.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, replace
from pathlib import Path

from sla_core.ingest.preset_model import Preset, header_key
from sla_core.ingest.synonyms import normalize

TITLES = Path(__file__).resolve().parents[1] / "data" / "catalogues" / "titles.csv"


@dataclass(frozen=True)
class Title:
    tool: str
    kind: str  # column / state / priority
    meaning: str  # canonical column ("" = a column to ignore), canonical state, or priority level
    lang: str
    text: str
    msgctxt: str
    msgid: str
    repo: str
    path: str
    commit: str


@functools.cache
def titles() -> tuple[Title, ...]:
    with TITLES.open(encoding="utf-8", newline="") as f:
        return tuple(Title(**row) for row in csv.DictReader(f))


def localised(preset: Preset, tool: str) -> Preset:
    """The preset with its tool's catalogue titles added: columns, states and priority words that it
    does not already name otherwise (the preset's own entries win)."""
    rows = [t for t in titles() if t.tool == tool]
    columns = dict(preset.columns)
    taken = {header_key(h) for h in columns}
    states = dict(preset.states)
    known_states = {normalize(s) for s in states}
    priorities = dict(preset.priorities)
    known_priorities = {normalize(p) for p in priorities}
    for t in rows:
        if t.kind == "column" and header_key(t.text) not in taken:
            columns[t.text] = t.meaning
            taken.add(header_key(t.text))
        elif t.kind == "state" and normalize(t.text) not in known_states:
            states[t.text] = t.meaning
            known_states.add(normalize(t.text))
        elif t.kind == "priority" and normalize(t.text) not in known_priorities:
            priorities[t.text] = int(t.meaning)
            known_priorities.add(normalize(t.text))
    return replace(preset, columns=columns, states=states, priorities=priorities)
