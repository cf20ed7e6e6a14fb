"""Page-ready results: one function per screen, so a page is widgets, one call, render.

Everything here is computed from an `Evaluation` (and the dataset behind it); nothing renders.
Filters (priority, team, category, channel, customer) change values and breakdowns, never verdicts,
penalties or obligations (spec "Rule (filters)").

Modules: `common` (period, filters, values for a period, ticket and response selections, trends) ·
`tables` (tables several screens show) · `registers` (the registers as the Breaches screen lists them) · one module per screen: `overview`, `timeliness`, `satisfaction`,
`availability`, `upload`, `breaches`, `quarterly`. Callers use the names re-exported here (the screen
functions `overview`, `timeliness`, `satisfaction` and `availability` shadow their modules' names on the
package: import a module's other names with `from sla_core.views.<module> import ...`).
"""

from sla_core.views.availability import AvailabilityView, availability
from sla_core.views.breaches import (
    ActionLink,
    action_links,
    closable_months,
    closed_table,
    excludable_responses,
    exemption_problem,
    link_target,
    misses,
    penalty_items,
    reconciliation_table,
    settled_json,
)
from sla_core.views.common import (
    Coverage,
    Filters,
    Period,
    PeriodKind,
    active,
    coverage,
    members,
    period_months,
    period_responses,
    period_tickets,
    pooled_values,
    previous_label,
    trend,
    values_for,
)
from sla_core.views.overview import KPI_PAGE, OverviewView, Tile, overview, tiles
from sla_core.views.quarterly import (
    QuarterChoice,
    QuarterView,
    default_quarter,
    quarter_choices,
    quarter_of_month,
    quarter_view,
)
from sla_core.views.registers import (
    action_history_table,
    audit_table,
    exemptions_table,
    survey_exclusions_table,
)
from sla_core.views.satisfaction import SatisfactionView, flag_text, satisfaction
from sla_core.views.tables import actions_table, obligations_table, penalties_table, status_matrix
from sla_core.views.timeliness import (
    Distribution,
    TicketDetail,
    TimelinessView,
    at_risk,
    breached_table,
    local_times,
    ticket_detail,
    timeliness,
)
from sla_core.views.upload import (
    IGNORE_TARGET,
    UploadPreview,
    batches_table,
    mapping_options,
    mapping_target_label,
    unfed_lines,
    upload_preview,
)

__all__ = [
    "IGNORE_TARGET",
    "KPI_PAGE",
    "ActionLink",
    "AvailabilityView",
    "Coverage",
    "Distribution",
    "Filters",
    "OverviewView",
    "Period",
    "PeriodKind",
    "QuarterChoice",
    "QuarterView",
    "SatisfactionView",
    "TicketDetail",
    "Tile",
    "TimelinessView",
    "UploadPreview",
    "action_history_table",
    "action_links",
    "actions_table",
    "active",
    "at_risk",
    "audit_table",
    "availability",
    "batches_table",
    "breached_table",
    "closable_months",
    "closed_table",
    "coverage",
    "default_quarter",
    "excludable_responses",
    "exemption_problem",
    "exemptions_table",
    "flag_text",
    "link_target",
    "local_times",
    "mapping_options",
    "mapping_target_label",
    "members",
    "misses",
    "obligations_table",
    "overview",
    "penalties_table",
    "penalty_items",
    "period_months",
    "period_responses",
    "period_tickets",
    "pooled_values",
    "previous_label",
    "quarter_choices",
    "quarter_of_month",
    "quarter_view",
    "reconciliation_table",
    "satisfaction",
    "settled_json",
    "status_matrix",
    "survey_exclusions_table",
    "ticket_detail",
    "tiles",
    "timeliness",
    "trend",
    "unfed_lines",
    "upload_preview",
    "values_for",
]
