"""What every write of the editor shares: the lock on the plan and the conflict error."""

from __future__ import annotations

from plans.models import Plan
from plans.workflow import ensure_plan_editable


class EditConflictError(Exception):
    """Someone else saved a change to what this save changes. ``messages`` say what, in Swedish."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def plan_lock_for_edit(*, plan: Plan) -> Plan:
    """Return ``plan`` as stored, its row locked until the transaction ends; raise PlanLocked
    (``plans.workflow``, a PlanLockedError) if it is approved. Call inside a transaction, before
    reading what is to be compared."""
    locked = (
        Plan.objects.select_for_update(of=("self",)).select_related("association").get(pk=plan.pk)
    )
    ensure_plan_editable(locked)
    return locked
