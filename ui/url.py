"""The view in the address bar: language, contract, period, filters and a page's own choices live in
`st.query_params`, so that a link reproduces the view and a reload keeps it.

At the start of a run, `adopt()` copies a query string the session has not written itself (a link, a
reload, a page link carrying parameters) into the sidebar's session state; a query without any of our
keys (Streamlit drops the query when the user moves to another page) leaves the session as it is.
Once the sidebar is drawn, `write()` puts the session's view back into the address bar, and a page's
own choices go there through `keep()`. Values from a link are checked where the widgets are drawn (an
unknown month falls back to the latest one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import streamlit as st

FILTER_DIMENSIONS = ("priority", "team", "category", "channel", "customer")
SIDEBAR_KEYS = ("lang", "contract", "month", "quarter", "from", "to", *FILTER_DIMENSIONS)

Query = dict[str, list[str]]

_WRITTEN = "_url_written"  # the query this session last put in the address bar
_PAGE_IN = "_url_page_in"  # page parameters from a link, waiting for their page to read them


def current() -> Query:
    """The address bar's query, every key with its list of values."""
    qp = st.query_params
    return {key: qp.get_all(key) for key in qp}


def adopt() -> None:
    """Take a link's view into the session (before any sidebar widget is drawn)."""
    ss = st.session_state
    query = current()
    if query == ss.get(_WRITTEN) or not query:
        return
    ss[_WRITTEN] = query
    ss[_PAGE_IN] = {k: v for k, v in query.items() if k not in SIDEBAR_KEYS}
    if not any(k in query for k in SIDEBAR_KEYS):
        return  # a page's own link: the sidebar keeps its choices
    one = {k: v[-1] for k, v in query.items() if v}
    if one.get("lang") in ("zh", "en"):
        ss["lang"] = one["lang"]
    if "contract" in one:
        ss["app_contract"] = one["contract"]
    _adopt_period(one)
    for dim in FILTER_DIMENSIONS:
        ss[f"app_filter_{dim}"] = [v for v in query.get(dim, []) if v]


def _adopt_period(one: dict[str, str]) -> None:
    ss = st.session_state
    if "quarter" in one:
        ss["app_period_kind"] = "quarter"
        ss["app_quarter"] = one["quarter"]
        return
    start, end = _day(one.get("from")), _day(one.get("to"))
    if start is not None:
        ss["app_period_kind"] = "range"
        ss["app_range"] = (start, end if end is not None and end >= start else start)
        return
    ss["app_period_kind"] = "month"
    if "month" in one:
        ss["app_month"] = one["month"]
    else:
        ss.pop("app_month", None)  # the latest month


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def page_value(name: str, options: Iterable[str]) -> str | None:
    """A page parameter from a link (once), if it is one of `options`."""
    waiting: dict[str, list[str]] = st.session_state.get(_PAGE_IN, {})
    values = waiting.pop(name, [])
    return values[-1] if values and values[-1] in set(options) else None


def seed(name: str, widget_key: str, options: Iterable[str]) -> None:
    """Before a page draws a widget: a link's value for it, if valid, becomes the widget's value."""
    value = page_value(name, options)
    if value is not None:
        st.session_state[widget_key] = value


def keep(name: str, value: str | Iterable[str] | None) -> None:
    """A page's own choice, put in the address bar at once (None or "" removes it)."""
    values = (
        [] if value is None or value == "" else [value] if isinstance(value, str) else [str(v) for v in value]
    )
    if current().get(name, []) != values:
        if values:
            st.query_params[name] = values
        else:
            del st.query_params[name]
    st.session_state[_WRITTEN] = current()


def write(sidebar: Query) -> None:
    """Put the sidebar's view in the address bar, beside the page's own parameters, as soon as the
    sidebar is drawn (a page may stop the run early; nothing can be written after st.stop()). Only a
    change is written: each write is a message to the browser."""
    query = {**{k: v for k, v in current().items() if k not in SIDEBAR_KEYS}, **sidebar}
    if query != current():
        st.query_params.from_dict(query)
    st.session_state[_WRITTEN] = query


def link(query: Query) -> str:
    """The query as it appears in a link (repeated keys for several values)."""
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, values in query.items() for v in values])
