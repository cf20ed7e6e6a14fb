"""Per-user state (st.session_state) and the shared sidebar: language, contract, period, filters.

The sidebar is drawn by app.py on every run, so its widgets keep their values across pages. The
evaluation comes from sla_core.workspace, which caches it by the store's evaluation version (data and
workflow); pages get everything through `context()`.
"""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, overload

import streamlit as st

from sla_core import store as st_store
from sla_core import views, workspace
from sla_core.access import LOCAL, Guard, Principal, record_sign_in
from sla_core.contract import ContractError
from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation
from sla_core.i18n import CATEGORY_NAMES, category_label, month_label
from sla_core.problems import error
from sla_core.security import SecurityConfigError, read_secrets_file, signs_in
from sla_core.users import Authenticator, Throttle, session_minutes, users_from
from sla_core.views import Filters, Period, members
from ui import url
from ui.components import plain, plain_but_code, said
from ui.strings import L, lang
from ui.url import FILTER_DIMENSIONS

log = logging.getLogger("sla.ui")


def member_label(dim: str, value: str, lang_: str | None = None) -> str:
    """A filter value as shown (`lang_` bound when the widget is drawn: a select formats its options
    again later, outside the run)."""
    lang_ = lang_ or lang()
    if dim == "category" and value in CATEGORY_NAMES:
        return category_label(value, lang_)
    return value or ("（空）" if lang_ == "zh" else "(blank)")


@dataclass
class Context:
    """What a page works with. The store only through the Guard: a page reads and writes what its
    principal may (sla_core.access), never the store itself."""

    guard: Guard
    contract_id: str
    snap: workspace.Snapshot
    period: Period
    filters: Filters
    lang: str

    @property
    def evaluation(self) -> Evaluation:
        return self.snap.evaluation

    @property
    def data(self) -> Dataset:
        return self.snap.data

    @property
    def contract_name(self) -> str:
        c = self.snap.evaluation.contract
        return str(c.base.contract.name or c.id)

    def stop_without_data(self, page_key: str) -> None:
        """The page's empty state (and stop) when the contract has no data yet."""
        from ui import components

        components.stop_without_data(L(page_key), bool(self.snap.evaluation.months), self.contract_name)


def init() -> None:
    ss = st.session_state
    ss.setdefault("lang", "zh")
    ss.setdefault("app_period_kind", "month")
    for dim in FILTER_DIMENSIONS:
        ss.setdefault(f"app_filter_{dim}", [])


@st.cache_resource(show_spinner=False)
def _store(path: str) -> st_store.Store:
    """The store's location (a frozen path, no connection): opened, migrated and seeded once."""
    store = workspace.open_workspace(path)
    workspace.ensure_demo(store)
    return store


def store() -> st_store.Store:
    return _store(str(workspace.db_path()))


def _language() -> None:
    st.sidebar.segmented_control(
        L("language"),
        ["zh", "en"],
        key="lang",
        format_func=lambda v: "中文" if v == "zh" else "English",
        required=True,
    )


def _relabel_after_language_change() -> None:
    """A select keeps the words it was drawn with (Streamlit stores the shown label, "2026年6月"), so
    after the language changes each chosen value is set again and every widget is drawn in the new
    language, the month select included. Buttons, uploads and table selections hold no words."""
    ss = st.session_state
    shown = ss.get("_lang_shown")
    ss["_lang_shown"] = lang()
    if shown is None or shown == lang():
        return
    for key in list(ss):
        value = ss[key]
        if key == "lang" or str(key).startswith("_") or not isinstance(value, str | list | tuple):
            continue
        ss[key] = value


def _secret_files() -> list[Path]:
    """The secrets files Streamlit reads (`secrets.files`: the user's and the project's by default)."""
    from streamlit import config

    return [Path(p) for p in config.get_option("secrets.files") if str(p).endswith(".toml")]


def _secrets() -> dict[str, Any]:
    """The secrets as Streamlit reads them. A file that exists but cannot be trusted raises
    SecurityConfigError (the app stops); only no file at all means sign-in is off."""
    files = [p for p in _secret_files() if p.exists()]
    for path in files:
        read_secrets_file(path)  # unreadable, empty or not TOML: an error, never "no users"
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # Streamlit's "no secrets found", or a file that changed meanwhile
        if any(p.exists() for p in files):
            raise SecurityConfigError(
                [
                    error(
                        "security.unreadable",
                        f"无法读取登录配置：{exc}",
                        f"cannot read the sign-in configuration: {exc}",
                    )
                ]
            ) from exc
        return {}


@st.cache_resource(show_spinner=False)
def _authenticator(fingerprint: str) -> Authenticator:
    """One per configuration, shared by all sessions so that the throttle on failures is too."""
    return Authenticator(users_from(_secrets()), Throttle())


def authenticator() -> Authenticator:
    """Raises SecurityConfigError when the configuration cannot be trusted."""
    secrets = _secrets()
    users_from(secrets)  # checked on every run: a configuration damaged since the last one stops the app
    fingerprint = repr({k: secrets.get(k) for k in ("sla", "auth")})
    return _authenticator(fingerprint)


def principal() -> Principal | None:
    """Who is using the app: the local user when sign-in is off, else the signed-in user (or None)."""
    auth = authenticator()
    secrets = _secrets()
    if "auth" in secrets and getattr(st.user, "is_logged_in", False):  # OIDC through st.login
        user = auth.by_email(getattr(st.user, "email", None))
        return Principal.of(user) if user else None
    if not signs_in(secrets):
        return LOCAL
    name, at = st.session_state.get("auth_user"), st.session_state.get("auth_at", 0.0)
    if name and time.time() - at <= session_minutes(secrets) * 60 and name in auth.users:
        return Principal.of(auth.users[name])
    st.session_state.pop("auth_user", None)
    return None


def stop_unless_secure() -> None:
    """A damaged security configuration closes the app with what to fix — not sign-in off."""
    try:
        authenticator()
    except SecurityConfigError as exc:
        log.error("security configuration refused: %s", exc)
        st.title(L("app_title"))
        st.error(plain_but_code(exc.message(lang())))
        st.stop()


def sign_in_form() -> None:
    """The sign-in screen (main area), shown instead of any page until the user signs in."""
    st.title(L("app_title"))
    if "auth" in _secrets():
        if getattr(st.user, "is_logged_in", False):
            st.error(L("oidc_unknown").format(email=plain(getattr(st.user, "email", ""))))
            st.button(L("sign_out"), on_click=st.logout, key="app_oidc_logout")
        else:
            st.button(L("oidc_sign_in"), on_click=st.login, key="app_oidc_login", type="primary")
        if not authenticator().enabled:
            return
    with st.form("app_sign_in"):
        name = st.text_input(L("user_name"), key="app_sign_in_name")
        password = st.text_input(L("password"), type="password", key="app_sign_in_password")
        submitted = st.form_submit_button(L("sign_in"), type="primary")
    if submitted:
        result = authenticator().sign_in(name, password)
        record_sign_in(store(), name, result.ok)
        if result.ok and result.user is not None:  # a sign-in that succeeds names its user
            st.session_state["auth_user"] = result.user.name
            st.session_state["auth_at"] = time.time()
            st.rerun()
        st.error(result.zh if lang() == "zh" else result.en)


def _sign_out() -> None:
    for key in ("auth_user", "auth_at", "_ctx"):
        st.session_state.pop(key, None)


PERIOD_KEYS = ("app_period_kind", "app_month", "app_quarter", "app_range")


def stop_for_store(exc: st_store.StoreError) -> None:
    """A store that cannot be read (damaged, on a full or read-only disk): said plainly, with the backup
    and the command that restore it — before sign-in, instead of Streamlit's crash page."""
    log.error("store refused: %s", exc.issue.en)
    st.title(L("app_title"))
    st.error(plain_but_code(exc.issue.message(lang())))
    st.stop()


def sidebar(*, period_control: bool = True) -> Context | None:
    """Draw the shared sidebar and return the page context (None: no contract, or not signed in).

    period_control=False: a page that chooses its own period (the quarterly review) — the sidebar's
    choice is kept for the other pages, not shown."""
    url.adopt()
    init()
    _relabel_after_language_change()
    _language()
    stop_unless_secure()
    try:
        return _sidebar(period_control)
    except st_store.StoreError as exc:  # busy too: "retry" beats a crash page
        stop_for_store(exc)
        return None


def _sidebar(period_control: bool) -> Context | None:
    s = store()
    who = principal()
    if who is None:
        return None
    guard = Guard(s, who, st.session_state.get("app_user") if who is LOCAL else None)
    if who is LOCAL:
        st.sidebar.caption(L("auth_off"))
    else:
        st.sidebar.caption(L("signed_in_as").format(name=plain(who.name), role=L(f"role_{who.role}")))
        st.sidebar.button(L("sign_out"), key="app_sign_out", on_click=_sign_out)
    contracts = guard.contracts()
    if not contracts:
        st.sidebar.info(L("no_contract"))
        return None
    ids = [c.contract_id for c in contracts]
    names = {c.contract_id: c.name or c.contract_id for c in contracts}
    if st.session_state.get("app_contract_next") in ids:  # a page asked to switch (e.g. a new contract)
        st.session_state["app_contract"] = st.session_state.pop("app_contract_next")
    if st.session_state.get("app_contract") not in ids:  # never a contract this user may not see
        st.session_state["app_contract"] = ids[0]
    contract_id = st.sidebar.selectbox(
        L("contract"), ids, key="app_contract", format_func=lambda i: names[i], placeholder=L("pick_one")
    )
    try:
        snap = guard.snapshot(contract_id)
    except ContractError as exc:  # stored before today's rules (e.g. a currency that is no ISO code)
        st.error(said([i for i in exc.issues if i.level == "error"], lang()))
        st.stop()
    period = _period(snap) if period_control else _kept_period(snap)
    filters = _filters(snap)
    if who is LOCAL:
        st.sidebar.text_input(L("user"), key="app_user", placeholder=L("user_placeholder"))
    ctx = Context(guard, contract_id, snap, period, filters, lang())
    url.write(query(ctx))
    from ui import components

    components.copy_link_button()
    return ctx


def query(ctx: Context) -> url.Query:
    """The sidebar's view as query parameters: language, contract, period, filters."""
    out: url.Query = {"lang": [ctx.lang], "contract": [ctx.contract_id]}
    p = ctx.period
    if p.kind == "range" and p.start and p.end:
        out |= {"from": [p.start.isoformat()], "to": [p.end.isoformat()]}
    elif p.label:
        out[p.kind] = [p.label]
    for dim in FILTER_DIMENSIONS:
        if ctx.filters.get(dim):
            out[dim] = list(ctx.filters[dim])
    return out


def _period(snap: workspace.Snapshot) -> Period:
    ev = snap.evaluation
    months = [m.label for m in ev.months]
    quarters = [q.label for q in ev.quarters]
    kinds = {"month": L("tcol_month"), "quarter": L("period_quarter"), "range": L("period_range")}
    kind = (
        st.sidebar.segmented_control(
            L("period"), list(kinds), key="app_period_kind", format_func=lambda k: kinds[k], required=True
        )
        or "month"
    )
    if not months:
        return Period.month("")
    if kind == "quarter":
        if st.session_state.get("app_quarter") not in quarters:
            st.session_state["app_quarter"] = quarters[-1]
        label = st.sidebar.selectbox(
            L("period_quarter"),
            quarters,
            key="app_quarter",
            format_func=partial(month_label, lang=lang()),
            placeholder=L("pick_one"),
        )
        return Period.quarter(label)
    if kind == "range":
        y, m = (int(x) for x in months[-1].split("-"))
        first = date(int(months[0][:4]), int(months[0][5:]), 1)
        # to start from: the latest month, whole (the user narrows or widens it)
        st.session_state.setdefault("app_range", (date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])))
        start, end = [*st.session_state["app_range"], None][:2]
        if isinstance(start, date) and start < first:  # a link's range before the data starts
            st.session_state["app_range"] = (first, max(end, first) if isinstance(end, date) else first)
        picked = st.sidebar.date_input(L("range"), key="app_range", min_value=first)
        if isinstance(picked, tuple) and len(picked) == 2:
            return Period.range(picked[0], picked[1])
        start = picked[0] if isinstance(picked, tuple) else picked
        return Period.range(start, start)
    if st.session_state.get("app_month") not in months:
        st.session_state["app_month"] = months[-1]
    label = st.sidebar.selectbox(
        L("tcol_month"),
        months,
        key="app_month",
        format_func=partial(month_label, lang=lang()),
        placeholder=L("pick_one"),
    )
    return Period.month(label)


def _kept_period(snap: workspace.Snapshot) -> Period:
    """The sidebar's period while its control is hidden. Streamlit forgets a widget's value on a run that
    does not draw it; writing the values back makes them the session's own, so they survive."""
    for key in PERIOD_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    ss = st.session_state
    if ss.get("app_period_kind") == "quarter" and ss.get("app_quarter") in {
        q.label for q in snap.evaluation.quarters
    }:
        return Period.quarter(ss["app_quarter"])
    months = [m.label for m in snap.evaluation.months]
    return Period.month(ss["app_month"] if ss.get("app_month") in months else (months[-1] if months else ""))


def _filters(snap: workspace.Snapshot) -> Filters:
    options = _members(snap)
    out: Filters = {}
    with st.sidebar.expander(
        L("filters"), expanded=any(st.session_state.get(f"app_filter_{d}") for d in FILTER_DIMENSIONS)
    ):
        for dim in FILTER_DIMENSIONS:
            key = f"app_filter_{dim}"
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options[dim]]
            chosen = st.multiselect(
                L(dim),
                options[dim],
                key=key,
                placeholder=L("filter_all"),  # not Streamlit's "Choose options"
                select_all=False,  # all of them is no filter; and Streamlit says "Select all" in English
                format_func=partial(member_label, dim, lang_=lang()),
            )
            if chosen:
                out[dim] = tuple(chosen)
        if out:
            st.button(L("clear_filters"), key="app_clear_filters", on_click=_clear_filters)
    return out


def name_needed() -> bool:
    """Sign-in is off: a change needs the operator's name (the Guard refuses one without it)."""
    ctx = st.session_state.get("_ctx")
    return ctx is None or ctx.guard.principal is LOCAL


def _clear_filters() -> None:
    for dim in FILTER_DIMENSIONS:
        st.session_state[f"app_filter_{dim}"] = []


@st.cache_data(max_entries=16, show_spinner=False)
def _members_of(contract_id: str, version: str, _snap: workspace.Snapshot) -> dict[str, list[str]]:
    """The filter options, once per contract and data version for every session."""
    return members(_snap.evaluation)


def _members(snap: workspace.Snapshot) -> dict[str, list[str]]:
    return _members_of(snap.contract.id, snap.version, snap)


def _leave_legacy_mode() -> None:
    """A deep link opened before app.py ever ran makes Streamlit run the page file alone, in its old
    pages/ directory mode. Switch that mode off and rerun, so that app.py frames the page."""
    from streamlit.runtime.pages_manager import PagesManager  # no public switch exists for this

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> Context:
    _leave_legacy_mode()
    ctx: Context | None = st.session_state.get("_ctx")
    if ctx is None:
        st.info(L("no_contract"))
        st.stop()
    return ctx


Screen = Literal["overview", "timeliness", "satisfaction", "availability"]
ScreenView = views.OverviewView | views.TimelinessView | views.SatisfactionView | views.AvailabilityView
FilterKey = tuple[tuple[str, tuple[str, ...]], ...]  # Filters, hashable for the cache


# shared, not copied: a cache_data hit unpickled the whole view (its tables) on every page run; pages
# and components only read a view (they build new frames from it), never change it
@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_view(
    name: Screen,
    store_: str,
    contract_id: str,
    version: str,
    period: Period,
    filters: FilterKey,
    lang_: str,
    today_: date,
    _ctx: Context,
) -> ScreenView:
    """A screen's view, keyed on store, contract, evaluation version, period, filters, language and the user's
    date (the context itself is not hashed: the evaluation version — data and workflow — stands for it)."""
    ev, data, chosen = _ctx.evaluation, _ctx.data, dict(filters)
    if name == "overview":
        return views.overview(ev, data, period, chosen, lang_, today_)
    if name == "timeliness":
        return views.timeliness(ev, data, period, chosen, lang_)
    if name == "satisfaction":
        return views.satisfaction(ev, data, period, chosen, lang_)
    return views.availability(ev, period, lang_)


def today(ctx: Context) -> date:
    """The user's date in the contract's zone (obligations are also counted against it)."""
    return datetime.now(ctx.evaluation.contract.zone).date()


@overload
def view(name: Literal["overview"], ctx: Context) -> views.OverviewView: ...
@overload
def view(name: Literal["timeliness"], ctx: Context) -> views.TimelinessView: ...
@overload
def view(name: Literal["satisfaction"], ctx: Context) -> views.SatisfactionView: ...
@overload
def view(name: Literal["availability"], ctx: Context) -> views.AvailabilityView: ...
def view(name: Screen, ctx: Context) -> ScreenView:
    """The screen's view for the context's contract, period, filters and language (cached)."""
    filters = _filter_key(ctx.filters)
    store_ = str(ctx.guard.store.path)
    return _cached_view(
        name, store_, ctx.contract_id, ctx.snap.key, ctx.period, filters, ctx.lang, today(ctx), ctx
    )


def _filter_key(filters: Filters) -> FilterKey:
    return tuple(sorted((k, tuple(v)) for k, v in filters.items()))


ViewKey = tuple[str, str, str, Period, FilterKey, str]
T = TypeVar("T")


def view_key(ctx: Context) -> ViewKey:
    """What a page's pure computations depend on: store, contract, evaluation version (data, contract
    revision and workflow: it changes on every write that changes a figure), period, filters, language."""
    store = str(ctx.guard.store.path)
    return (store, ctx.contract_id, ctx.snap.key, ctx.period, _filter_key(ctx.filters), ctx.lang)


@st.cache_resource(max_entries=512, show_spinner=False)
def _shared(name: str, key: ViewKey, extra: tuple[Hashable, ...], _build: Callable[[], Any]) -> Any:
    return _build()


def shared(name: str, ctx: Context, build: Callable[[], T], *extra: Hashable) -> T:
    """`build()` once for every session that shows the same thing: a chart or a table computed from the
    evaluation alone, keyed on `name`, the context's view key and `extra` (what else the page chose:
    a measure, a dimension, a quarter). Twenty people in a review meeting draw the same charts; building
    a Plotly figure took most of a page's time.

    The object itself is shared (no copy per run): read it, never change it. Permissions: the context
    exists only once the Guard has let this user open this contract in this run (the sidebar asks it on
    every run), and the key holds the contract, so what is cached is shown only to users allowed to see
    that contract. Nothing per user (a connection, the Guard, a principal) may be cached this way."""
    return cast(T, _shared(name, view_key(ctx), extra, build))
