"""Pages of the editor. Each validates its input, calls one service or selector, and renders.

Every page of a plan answers 404 for a plan the user may not read and 403 for one the user may
read but not edit (styrelse, revisor). An approved plan shows why it cannot change.
"""

from __future__ import annotations

from plans.editor.views.budget import budget, budget_preview
from plans.editor.views.organisation import member_new, organisation, shares_preview
from plans.editor.views.plans import plan_new, plan_settings, start
from plans.editor.views.rows import ROW_PAGES, rows_page
from plans.editor.views.sections import section, section_preview, sections

__all__ = [
    "ROW_PAGES",
    "budget",
    "budget_preview",
    "member_new",
    "organisation",
    "plan_new",
    "plan_settings",
    "rows_page",
    "section",
    "section_preview",
    "sections",
    "shares_preview",
    "start",
]
