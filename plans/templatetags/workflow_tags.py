"""The workflow panel of the plan page: status, decision, archived PDF and the buttons a user has.

``{% load workflow_tags %}{% workflow_panel plan %}`` costs two queries (``plan_workflow_state``).
"""

from __future__ import annotations

from typing import Any

from django import template

from plans.models import Plan
from plans.workflow import plan_workflow_state

register = template.Library()


@register.inclusion_tag("plans/workflow/_panel.html", takes_context=True)
def workflow_panel(context: template.Context, plan: Plan) -> dict[str, Any]:
    request = context["request"]
    return {
        "plan": plan,
        "state": plan_workflow_state(plan=plan, user=request.user),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
    }
