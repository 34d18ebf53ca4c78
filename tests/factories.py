"""factory_boy factories: one per model a test needs, each building only what its row requires.

Related rows that must belong to the same association or plan follow the parent given
(``BudgetAmountFactory(line=line)`` makes its column on the line's plan), so a test names only
what it is about.
"""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    Association,
    ContributionShare,
    Member,
    Membership,
    Plan,
    Project,
    Role,
)

PASSWORD = "lösenord-för-test"


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet {n}")
    org_number = factory.Sequence(lambda n: f"{222000 + n // 10000}-{n % 10000:04d}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = "municipality"
    order = factory.Sequence(int)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = Role.KANSLI


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    association = factory.SubFactory(AssociationFactory)
    year = 2021
    opening_equity = Decimal(0)


class ContributionShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionShare

    plan = factory.SubFactory(PlanFactory)
    member = factory.SubFactory(
        MemberFactory, association=factory.SelfAttribute("..plan.association")
    )
    share_pct = Decimal(25)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    kind = "individual"


class BudgetColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetColumn

    plan = factory.SubFactory(PlanFactory)
    kind = "budget"
    year = factory.SelfAttribute("plan.year")
    label = factory.LazyAttributeSequence(lambda o, n: f"{o.year} ({n})")
    order = factory.Sequence(int)


class BudgetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetGroup

    plan = factory.SubFactory(PlanFactory)
    kind = "administration"
    name = factory.Sequence(lambda n: f"Grupp {n}")
    order = factory.Sequence(int)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    group = factory.SubFactory(BudgetGroupFactory)
    name = factory.Sequence(lambda n: f"Rad {n}")
    order = factory.Sequence(int)


class BudgetAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAmount

    line = factory.SubFactory(BudgetLineFactory)
    column = factory.SubFactory(
        BudgetColumnFactory, plan=factory.SelfAttribute("..line.group.plan")
    )
    amount = Decimal(1000)


class GoalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalArea

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Målområde {n}")
    order = factory.Sequence(int)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    area = factory.SubFactory(GoalAreaFactory)
    indicator = factory.Sequence(lambda n: f"Indikator {n}")
    order = factory.Sequence(int)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    goal = factory.SubFactory(GoalFactory)
    kind = "percent"
    value = Decimal(80)
    order = factory.Sequence(int)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    target = factory.SubFactory(TargetFactory)
    period = factory.Sequence(lambda n: f"Delårsrapport {n}")
    value = Decimal(75)
