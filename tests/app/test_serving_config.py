"""The server's configuration keeps what the load run measured: no full garbage collection after every
page run (it halved the page rate of twenty sessions at once; bench/load.py)."""

from __future__ import annotations

import tomllib

from apptools import ROOT


def test_no_full_collection_after_every_page_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
