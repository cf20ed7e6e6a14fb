"""Placeholder while the screen is built."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.strings import L

ctx = state.context()
st.title(L("page_upload"))
