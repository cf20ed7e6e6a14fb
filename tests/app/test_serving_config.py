"""The server's configuration keeps what the load runs measured (bench/load.py): no full garbage
collection and no walk over the source files after every page run (each took a third or a quarter of
the server's time with twenty sessions at once)."""

from __future__ import annotations

import tomllib

import pytest
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


def test_options_are_read_without_the_config_lock_and_agree_with_streamlit():
    from streamlit import config

    from ui import state

    state._unlocked_config_reads()  # what importing ui.state does in the server
    assert getattr(config.get_option, "unlocked", False)
    locked = config.get_config_options()
    for key in ("global.minCachedMessageSize", "runner.postScriptGC", "server.fileWatcherType"):
        assert config.get_option(key) == locked[key].value
    before = config.get_option("global.minCachedMessageSize")
    config.set_option("global.minCachedMessageSize", before + 1)
    try:
        assert config.get_option("global.minCachedMessageSize") == before + 1  # a change is seen at once
    finally:
        config.set_option("global.minCachedMessageSize", before)
    with pytest.raises(RuntimeError):  # an unknown option is still refused
        config.get_option("no.such_option")
