"""The import preset as data: what one helpdesk's export looks like (see `presets` for how presets are
recognised and applied, `builtin_presets` for the built-in ones)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sla_core.contract import CANONICAL_STATES
from sla_core.ingest.synonyms import normalize
from sla_core.ingest.values import DateOrder

Shape = Literal["tickets", "events"]
IGNORE = ""
# a file "is" a preset when at least this many of the preset's headers are there (and its key columns)
MIN_MATCHED = 3


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    shape: Shape
    columns: Mapping[str, str]  # header as the source writes it → canonical column ("" = ignore it)
    source: str = ""  # where the column names come from
    date_order: DateOrder | None = None
    priorities: Mapping[str, int] = field(default_factory=dict)  # value → level, 1 = most urgent
    states: Mapping[str, str] = field(default_factory=dict)  # raw state → canonical state
    missing: tuple[str, ...] = ()  # cells that mean blank, besides the usual ones (-, ?, N/A …)
    true_words: tuple[str, ...] = ()
    false_words: tuple[str, ...] = ()
    base: str | None = None  # a user preset: the built-in one it started from
    user: bool = False
    # (word, canonical state): a raw state no entry of `states` names, that contains the word, has
    # that state — for logs whose "states" are activity names ("Resolve ticket", "Wait"); first wins
    state_words: tuple[tuple[str, str], ...] = ()

    def mapping(self) -> dict[str, str]:
        """The column mapping to read with (ignored headers as "忽略", the mapping's skip word)."""
        return {h: (c or "忽略") for h, c in self.columns.items()}

    def keys(self) -> set[str]:
        return {header_key(h) for h in self.columns} - {""}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "shape": self.shape,
            "columns": dict(self.columns),
            "source": self.source,
            "date_order": self.date_order,
            "priorities": dict(self.priorities),
            "states": dict(self.states),
            "missing": list(self.missing),
            "true_words": list(self.true_words),
            "false_words": list(self.false_words),
            "base": self.base,
            "state_words": [list(pair) for pair in self.state_words],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Preset:
        shape = data.get("shape") or "tickets"
        order = data.get("date_order")
        states = {str(k): str(v) for k, v in (data.get("states") or {}).items() if v in CANONICAL_STATES}
        return cls(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            shape="events" if shape == "events" else "tickets",
            columns={str(k): str(v or "") for k, v in (data.get("columns") or {}).items()},
            source=str(data.get("source") or ""),
            date_order=order if order in ("dmy", "mdy") else None,
            priorities={str(k): int(v) for k, v in (data.get("priorities") or {}).items()},
            states=states,
            missing=tuple(str(m) for m in data.get("missing") or ()),
            true_words=tuple(str(w) for w in data.get("true_words") or ()),
            false_words=tuple(str(w) for w in data.get("false_words") or ()),
            base=data.get("base"),
            user=True,
            state_words=tuple(
                (str(w), str(v))
                for w, v in (data.get("state_words") or ())
                if v in CANONICAL_STATES and normalize(w)
            ),
        )

    def customised(
        self, *, id: str, name: str, mapping: Mapping[str, str] | None = None, **changes: Any
    ) -> Preset:
        """A user's copy: this preset with the user's column mapping (and other changes) on top."""
        columns = dict(self.columns)
        for header, target in (mapping or {}).items():
            columns[header] = "" if target in ("忽略", "ignore", "-", "") else target
        return replace(
            self, id=id, name=name, columns=columns, base=self.base or self.id, user=True, **changes
        )


def header_key(header: str) -> str:
    """Headers compare as the synonyms do; one of punctuation only (Zammad's "#") as written."""
    return normalize(header) or str(header).strip()
