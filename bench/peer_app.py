"""The Overview page's peer: a bare Streamlit page with the same layout and no data behind it — the
sidebar's filter expander with a team multiselect, 17 bordered tiles in four columns, each keyed and
marked up as the real ones — so its times are the framework's floor on this machine."""

from __future__ import annotations

import streamlit as st

KPIS = (
    "response_within_target",
    "resolution_within_target",
    "resolution_rate",
    "first_contact_resolution",
    "reopen_rate",
    "complaint_rate",
    "feedback_on_time",
    "suggestion_adoption_rate",
    "csat_mean",
    "csat_satisfied_share",
    "survey_response_rate",
    "availability",
    "unplanned_downtime_minutes",
    "mttr_minutes",
    "restored_in_time",
    "backup_success_rate",
    "recovery_time_hours",
)
TEAMS = ("桌面支持组", "网络组", "应用支持组", "服务台")

st.set_page_config(page_title="peer", layout="wide")
with st.sidebar.expander("筛选"):
    chosen = st.multiselect("处理组", TEAMS, key="team")
st.title("总览")
if chosen:
    st.info("已筛选——数值仅供分析，非合同评判。")
columns = st.columns(4)
for i, kpi in enumerate(KPIS):
    with columns[i % 4], st.container(border=True, key=f"tile_overview_{kpi}"):
        badge = "已筛选" if chosen else "达标"
        st.markdown(
            f'<div class="sla-tile-label">{kpi} <span class="sla-badge">{badge}</span></div>'
            f'<div class="sla-tile-value">{95 + i / 10:.1f}%</div>',
            unsafe_allow_html=True,
        )
