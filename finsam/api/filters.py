"""Filter types shared by the FilterSets of every app."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from plans.models import PlanStatus


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole number (an id or a year): ``?plan=3``, ``?year=2021``. Anything else is 400."""

    field_class = forms.IntegerField


def plan_status_filter(plan_path: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=f"{plan_path}__status", choices=PlanStatus.choices, label="planens status"
    )


class PlanRowFilterSet(django_filters.FilterSet):
    """Filters every row a plan owns directly: by plan, association, year and plan status."""

    plan = IdFilter(field_name="plan")
    association = IdFilter(field_name="plan__association")
    year = IdFilter(field_name="plan__year")
    plan_status = plan_status_filter("plan")
