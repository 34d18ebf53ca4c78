"""The REST API, version 1: /api/v1/ (see docs/api.md)."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from budget.api import (
    BudgetAmountViewSet,
    BudgetColumnViewSet,
    BudgetGroupViewSet,
    BudgetLineViewSet,
)
from finsam.api.views import api_not_found
from goals.api import GoalAreaViewSet, GoalViewSet, OutcomeViewSet, TargetViewSet
from plans import history_api, workflow_api
from plans.api import (
    AssociationViewSet,
    BoardSeatViewSet,
    GroupMemberViewSet,
    GroupViewSet,
    MemberViewSet,
    PlanViewSet,
    ProjectViewSet,
    SectionViewSet,
    ShareViewSet,
    StaffMemberViewSet,
    TimetableEntryViewSet,
    XlsxRenderer,
)

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("associations", AssociationViewSet, basename="association")
router.register("members", MemberViewSet, basename="member")
router.register("shares", ShareViewSet, basename="share")
router.register("board", BoardSeatViewSet, basename="boardseat")
router.register("office", StaffMemberViewSet, basename="staffmember")
router.register("groups", GroupViewSet, basename="group")
router.register("group-members", GroupMemberViewSet, basename="groupmember")
router.register("projects", ProjectViewSet, basename="project")
router.register("plans", PlanViewSet, basename="plan")
router.register("sections", SectionViewSet, basename="section")
router.register("timetable", TimetableEntryViewSet, basename="timetableentry")
router.register("budget-columns", BudgetColumnViewSet, basename="budgetcolumn")
router.register("budget-groups", BudgetGroupViewSet, basename="budgetgroup")
router.register("budget-lines", BudgetLineViewSet, basename="budgetline")
router.register("budget-amounts", BudgetAmountViewSet, basename="budgetamount")
router.register("goal-areas", GoalAreaViewSet, basename="goalarea")
router.register("goals", GoalViewSet, basename="goal")
router.register("targets", TargetViewSet, basename="target")
router.register("outcomes", OutcomeViewSet, basename="outcome")

urlpatterns = [
    # The export is a file name, without the router's trailing slash.
    path(
        "plans/<int:pk>/budget.xlsx",
        PlanViewSet.as_view({"get": "budget_xlsx"}, renderer_classes=[JSONRenderer, XlsxRenderer]),
        name="plan-budget-xlsx",
    ),
    # The workflow and the change history (plans/workflow_api.py, plans/history_api.py).
    path(
        "plans/<int:pk>/history/",
        history_api.PlanHistoryView.as_view(),
        name="plan-history",
    ),
    path(
        "plans/<int:pk>/workflow/",
        workflow_api.PlanWorkflowView.as_view(),
        name="plan-workflow",
    ),
    path("plans/<int:pk>/submit/", workflow_api.PlanSubmitView.as_view(), name="plan-submit"),
    path("plans/<int:pk>/return/", workflow_api.PlanReturnView.as_view(), name="plan-return"),
    path("plans/<int:pk>/approve/", workflow_api.PlanApproveView.as_view(), name="plan-approve"),
    path("plans/<int:pk>/revise/", workflow_api.PlanReviseView.as_view(), name="plan-revise"),
    path("plans/<int:pk>/pdf/", workflow_api.PlanPdfView.as_view(), name="plan-pdf"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^(?P<path>.*)$", api_not_found),
]
