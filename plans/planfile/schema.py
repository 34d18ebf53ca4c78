"""The keys of every object of a plan file, in the order export writes them (docs/plan-file.md)."""

from __future__ import annotations

FILE_FIELDS = ("format", "version", "association", "plan")
ASSOCIATION_FIELDS = (
    "name",
    "org_number",
    "founded",
    "region",
    "vision",
    "thresholds",
    "members",
)
THRESHOLD_FIELDS = ("equity_limit_pct", "admin_share_limit_pct", "share_tolerance_pct")
MEMBER_FIELDS = ("name", "kind")
PLAN_FIELDS = (
    "year",
    "revision",
    "title",
    "dnr",
    "attachment_label",
    "status",
    "decided_on",
    "minutes_paragraph",
    "opening_equity",
    "display_unit",
    "costs_negative",
    "shares",
    "board",
    "staff",
    "groups",
    "projects",
    "sections",
    "timetable",
    "goal_areas",
    "budget",
)
SHARE_FIELDS = ("member", "share_pct")
SEAT_FIELDS = ("member", "role", "person", "position", "term_start", "term_end")
STAFF_FIELDS = ("name", "role", "fte", "employer")
GROUP_FIELDS = ("name", "kind", "description", "people")
PERSON_FIELDS = ("person", "member", "role")
PROJECT_FIELDS = (
    "name",
    "kind",
    "status",
    "owner",
    "starts_on",
    "ends_on",
    "cofinancing",
    "description",
)
SECTION_FIELDS = ("title", "level", "body")
TIMETABLE_FIELDS = ("year", "month", "event")
AREA_FIELDS = ("name", "description", "goals")
GOAL_FIELDS = ("indicator", "measurement", "reporting", "comment", "targets")
TARGET_FIELDS = (
    "project",
    "kind",
    "value",
    "unit",
    "text",
    "previous_value",
    "previous_text",
    "outcomes",
)
OUTCOME_FIELDS = ("period", "value", "text", "recorded_on")
BUDGET_FIELDS = ("columns", "groups")
COLUMN_FIELDS = ("kind", "year", "label")
BUDGET_GROUP_FIELDS = ("kind", "name", "total_label", "lines")
LINE_FIELDS = ("name", "parent", "member", "project", "footnote", "amounts")
