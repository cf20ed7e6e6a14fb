"""The router and frame: page config, navigation, the shared sidebar, session defaults."""

from __future__ import annotations

import logging

import streamlit as st

from sla_core.access import AccessDenied
from sla_core.store import StoreError
from ui import components, state, url
from ui.strings import L

st.set_page_config(
    page_title="SLA 服务质量看板 · SLA quality dashboard", page_icon=":material/dashboard:", layout="wide"
)
components.style()
ctx = state.sidebar()
st.session_state["_ctx"] = ctx
if ctx is None and state.principal() is None:
    state.sign_in_form()
    st.stop()

overview = st.Page(
    "pages/overview.py", title=L("page_overview"), icon=":material/dashboard:", default=True, url_path="home"
)


def _to_overview() -> None:
    """/overview, the Overview's own name, opens the Overview (at /) with the same query: without this
    alias Streamlit says "Page not found" in English, since the default page lives at / only."""
    st.switch_page(overview, query_params=list(url.current().items()))


pages = {
    L("group_analysis"): [
        overview,
        st.Page(
            "pages/timeliness.py", title=L("page_timeliness"), icon=":material/timer:", url_path="timeliness"
        ),
        st.Page(
            "pages/satisfaction.py",
            title=L("page_satisfaction"),
            icon=":material/sentiment_satisfied:",
            url_path="satisfaction",
        ),
        st.Page(
            "pages/availability.py",
            title=L("page_availability"),
            icon=":material/monitor_heart:",
            url_path="availability",
        ),
    ],
    L("group_work"): [
        st.Page("pages/breaches.py", title=L("page_breaches"), icon=":material/gavel:", url_path="breaches"),
        st.Page(
            "pages/quarterly.py",
            title=L("page_quarterly"),
            icon=":material/event_note:",
            url_path="quarterly",
        ),
        st.Page("pages/upload.py", title=L("page_upload"), icon=":material/upload_file:", url_path="upload"),
        st.Page(
            "pages/contract.py", title=L("page_contract"), icon=":material/description:", url_path="contract"
        ),
    ],
}
alias = st.Page(_to_overview, title=L("page_overview"), url_path="overview", visibility="hidden")
# one KPI for one period, opened from a tile, a scorecard cell or a link (not a menu entry)
kpi = st.Page(
    "pages/kpi.py", title=L("page_kpi"), icon=":material/query_stats:", url_path="kpi", visibility="hidden"
)
components.register_pages({p.url_path or "overview": p for group in [*pages.values(), [kpi]] for p in group})
page = st.navigation({**pages, "": [alias, kpi]}, position="sidebar", expanded=True)
try:
    page.run()
except AccessDenied as denied:  # the core refused: say why, plainly
    st.error(components.said([denied.issue], state.lang()))
except StoreError as refused:  # busy, damaged, a full or read-only disk: what it is and what to do
    st.error(components.said([refused.issue], state.lang()))
except Exception:  # an unexpected failure: log it for us, tell the user plainly, never a traceback
    logging.getLogger("sla.app").exception("page failed")
    st.error(L("error_page"))
