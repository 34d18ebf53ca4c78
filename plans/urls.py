from __future__ import annotations

from django.urls import path

from plans import views, workflow_views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("planer/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    # The workflow and the change history (plans/workflow_views.py).
    path("planer/<int:plan_id>/foreslag/", workflow_views.plan_submit_view, name="plan_submit"),
    path("planer/<int:plan_id>/tillbaka/", workflow_views.plan_return_view, name="plan_return"),
    path("planer/<int:plan_id>/faststall/", workflow_views.plan_approve_view, name="plan_approve"),
    path("planer/<int:plan_id>/revidera/", workflow_views.plan_revise_view, name="plan_revise"),
    path("planer/<int:plan_id>/historik/", workflow_views.plan_history_view, name="plan_history"),
]
