"""Start the app: `python -m ui.serve [streamlit options]` (what `make run` uses; the browser tests and the
load benchmark start `streamlit run app.py` through `bench.common.start_app`).

It is `streamlit run app.py` with one difference: Streamlit's old pages/ directory mode is switched
off before the first request. Otherwise a fresh server whose first visitor opens a deep link
(/timeliness) would run that page file alone, without app.py's frame, until st.navigation is first
called (ui.state also recovers from that, at the cost of a rerun).
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False  # app.py routes with st.navigation
    cli.main(["run", str(APP), *argv], standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
