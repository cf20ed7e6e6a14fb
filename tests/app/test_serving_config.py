"""The server's configuration keeps what the load runs measured (bench/load.py): no full garbage
collection and no walk over the source files after every page run (each took a third or a quarter of
the server's time with twenty sessions at once)."""

from __future__ import annotations

import tomllib

from apptools import ROOT


def test_no_full_collection_after_every_page_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_no_watching_of_the_source_files_after_every_page_run():
    # Streamlit re-walked every imported module's path after each run: a quarter of the server's time
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"].get("runOnSave", False) is False


def test_the_secrets_are_still_watched_without_the_source_watcher():
    # the sign-in configuration must reload when `user add` changes it: Streamlit polls it on its own
    import inspect

    from streamlit.runtime.secrets import Secrets

    assert 'watcher_type="poll"' in inspect.getsource(Secrets._maybe_install_file_watchers)
