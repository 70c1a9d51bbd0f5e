"""The figures of every plan as they stand now, kept by the service functions that change
them (``services``) so that the province and national views read numbers, not reports.

Only what does not depend on the day is stored: each task's state from its sent reports and
reviewed evidence, each target's counted value, each period's owed and sent reports. What
depends on the day (late, on track, periods closed) is evaluated by the database as of any
day from stored days (``late_from``, ``on_track_until``, the period's ``due_on``), each
computed by the one rule in ``tracking.status`` / ``alerts.rules``. The rows hold for "now"
and any later day; a past cut-off (a report as of a past date) still reads the live
derivation.
"""

from __future__ import annotations

from django.db import models

from theodoi.plans.models import Plan, Target, Task, TaskAssignment
from theodoi.tracking.models import Period
from theodoi.units.models import Commune, Province


class TaskSummary(models.Model):
    """``tracking.status.task_states`` of one task for today (``late`` as ``late_from``)."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    is_leaf = models.BooleanField(default=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    status = models.CharField(max_length=15)
    percent = models.PositiveSmallIntegerField(default=0)
    completion = models.CharField(max_length=10)
    completed_on = models.DateField(null=True, blank=True)
    # The first day the task counts as late (``status.late_from``); None: never.
    late_from = models.DateField(null=True, blank=True)
    # The task's bucket (``status.bucket_of``) on a day it is not late, and on one it is.
    bucket = models.CharField(max_length=12)
    bucket_late = models.CharField(max_length=12)
    # The first cut-off from which it counts among the dated tasks due, and among those done
    # on time (``dashboards.ranking.on_time_completion``); None: never.
    due_from = models.DateField(null=True, blank=True)
    on_time_from = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "is_leaf"], name="task_summary_plan_leaf")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.bucket}"


class TargetSummary(models.Model):
    """``tracking.status.target_states`` of one target for today."""

    target = models.OneToOneField(
        Target, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    has_accepted = models.BooleanField(default=False)
    met = models.BooleanField(default=False)
    has_pending = models.BooleanField(default=False)
    # The last day its judgement is "on track" (``status.on_track_until``); None: never.
    on_track_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.target_id}: {'met' if self.met else 'not met'}"


class PeriodSummary(models.Model):
    """A period's reports owed by the lead units of the plan's leaf tasks, and those sent
    (``alerts.rules.missing_reports``: missing as of D = owed − sent over the periods in
    force whose ``due_on`` < D)."""

    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    starts_on = models.DateField()
    in_force = models.BooleanField(default=True)  # ``alerts.rules.period_in_force``
    owed = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["plan", "due_on"], name="period_summary_plan_due")]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.sent}/{self.owed}"


class PlanSummary(models.Model):
    """One plan's counts that do not depend on the day: its leaf tasks by bucket (late
    aside, see ``TaskSummary``), its targets, and its progress (``status.plan_progress``)."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    leaves = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    paused = models.PositiveIntegerField(default=0)
    targets = models.PositiveIntegerField(default=0)
    targets_met = models.PositiveIntegerField(default=0)
    targets_with_data = models.PositiveIntegerField(default=0)
    progress = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.done}/{self.leaves}"


class LeadSummary(models.Model):
    """One lead unit of one leaf task (its assignment): the due day of the first report it
    owes and has not sent, None when it owes none unsent (``alerts.rules.missing_reports``:
    the "report missing" warning for that task and unit holds on day D when that due day is
    before D — one warning however many periods, as the warnings count it)."""

    assignment = models.OneToOneField(
        TaskAssignment, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    first_missing_due_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan"], name="lead_summary_plan")]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.first_missing_due_on}"
