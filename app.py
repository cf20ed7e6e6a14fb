"""The router and frame: page config, navigation, the shared sidebar, session defaults."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import streamlit as st

from sla_core.access import AccessDenied
from sla_core.store import StoreError
from ui import components, state, url
from ui.strings import L

st.set_page_config(
    page_title="SLA 服务质量看板 · SLA quality dashboard", page_icon=":material/dashboard:", layout="wide"
)
# a link's language, contract and period first: the menu and the page's CSS words are in the link's language
url.adopt()
state.init()
components.style()
state.stop_unless_secure()  # a damaged security configuration closes the app, before anyone is let in
signed_in = state.principal() is not None
pages = {
    L("group_analysis"): [
        st.Page(
            "pages/overview.py", title=L("page_overview"), icon=":material/dashboard:", url_path="overview"
        ),
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
overview = pages[L("group_analysis")][0]


def _home() -> None:
    """The root, and any address that names no page: open the Overview, saying (in the user's language,
    instead of Streamlit's English dialog, which components.CSS hides) when the address was wrong."""
    asked = urlsplit(st.context.url or "").path.strip("/").rsplit("/", 1)[-1]
    if asked not in ("", "home") and not st.session_state.get("app_not_found_said"):
        st.session_state["app_not_found"] = asked
    st.switch_page(overview, query_params=st.query_params.to_dict())


# The app's root opens the Overview at /overview. Streamlit serves its default page at the root only, so a
# default Overview made /overview (a reload, a shared link) answer "Page not found" in English.
pages[L("group_analysis")].append(
    st.Page(_home, title=L("page_overview"), default=True, url_path="home", visibility="hidden")
)
# one KPI for one period, opened from a tile, a scorecard cell or a link (not a menu entry)
pages[L("group_analysis")].append(
    st.Page(
        "pages/kpi.py",
        title=L("page_kpi"),
        icon=":material/query_stats:",
        url_path="kpi",
        visibility="hidden",
    )
)
components.register_pages({p.url_path: p for group in pages.values() for p in group})
# the page is known before the sidebar is drawn: the quarterly review has its own (single) period control
page = st.navigation(pages, position="sidebar" if signed_in else "hidden", expanded=True)
ctx = state.sidebar(period_control=page.url_path != "quarterly")
st.session_state["_ctx"] = ctx
if ctx is None and not signed_in:
    state.sign_in_form()
    st.stop()
if wrong := st.session_state.pop("app_not_found", None):
    st.session_state["app_not_found_said"] = True  # once: st.context.url stays the address first opened
    st.toast(L("page_not_found").format(path=wrong), icon=":material/info:")
try:
    page.run()
except AccessDenied as denied:  # the core refused: say why, plainly
    st.error(components.said([denied.issue], state.lang()))
except StoreError as refused:  # busy, damaged, a full or read-only disk: what it is and what to do
    st.error(components.said([refused.issue], state.lang()))
except Exception:  # an unexpected failure: log it for us, tell the user plainly, never a traceback
    logging.getLogger("sla.app").exception("page failed")
    st.error(L("error_page"))
