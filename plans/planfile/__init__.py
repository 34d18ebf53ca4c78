"""The plan file: one whole plan as JSON, exported and imported in the format of docs/plan-file.md."""

from __future__ import annotations

from plans.planfile.errors import PlanFileError, Problem
from plans.planfile.export import FORMAT, VERSION, plan_export, plan_export_bytes
from plans.planfile.services import plan_file_parse, plan_import

__all__ = [
    "FORMAT",
    "VERSION",
    "PlanFileError",
    "Problem",
    "plan_export",
    "plan_export_bytes",
    "plan_file_parse",
    "plan_import",
]
