"""``theodoi rebuild_summaries`` derives the summaries again; ``theodoi check`` names a plan
whose stored figures differ from the live derivation and exits non-zero."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from theodoi.summaries.models import (
    LeadSummary,
    PeriodSummary,
    PlanSummary,
    TargetSummary,
    TaskSummary,
)
from theodoi.tracking.models import TaskStatus

from ..evidence.factories import sent_completion
from ..factories import unit_of
from ..tracking_factories import make_active_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commune, police):  # type: ignore[no-untyped-def]
    plan = make_active_plan(commune)
    sent_completion(plan, unit_of(commune, "Công an phường"), police)
    return plan


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_finds_the_summaries_equal_to_the_live_figures(plan):
    out, err = run("check")
    assert "Số liệu tổng hợp khớp với số liệu tính trực tiếp (1 kế hoạch đang thực hiện)." in out
    assert "tổng hợp" not in err


def test_a_tampered_summary_makes_check_name_the_plan_and_fail(plan):
    TaskSummary.objects.filter(plan=plan, is_leaf=True).update(status=TaskStatus.COMPLETED)
    with pytest.raises(CommandError) as raised:
        run("check")
    assert raised.value.returncode == 1
    assert "Số liệu tổng hợp của 1 kế hoạch khác với số liệu tính trực tiếp" in str(raised.value)
    assert "rebuild_summaries" in str(raised.value)


def test_the_differing_plan_is_named_on_stderr(plan):
    PlanSummary.objects.filter(plan=plan).update(done=7)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check", stdout=io.StringIO(), stderr=err)
    assert f"Số liệu tổng hợp của kế hoạch {plan.number}" in err.getvalue()
    assert "khác số liệu tính trực tiếp" in err.getvalue()


def test_a_lead_units_lost_first_unsent_report_is_found_by_check(plan):
    unsent = LeadSummary.objects.filter(plan=plan, first_missing_due_on__isnull=False)
    assert unsent.exists(), "the plan has reports owed and not sent"
    unsent.update(first_missing_due_on=None)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check", stdout=io.StringIO(), stderr=err)
    assert f"Số liệu tổng hợp của kế hoạch {plan.number}" in err.getvalue()
    assert "phân công chủ trì" in err.getvalue()


def test_rebuild_restores_a_tampered_or_lost_summary_and_is_idempotent(plan):
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in (TaskSummary, TargetSummary, PeriodSummary, PlanSummary, LeadSummary)
    }
    assert before[LeadSummary], "the plan's lead units have rows"
    TaskSummary.objects.filter(plan=plan).update(percent=3)
    TargetSummary.objects.filter(plan=plan).delete()
    PeriodSummary.objects.filter(plan=plan).update(sent=99)
    PlanSummary.objects.filter(plan=plan).delete()
    LeadSummary.objects.filter(plan=plan).update(first_missing_due_on=None)
    out, _err = run("rebuild_summaries")
    assert "Đã tính lại số liệu tổng hợp của 1 kế hoạch; 1 kế hoạch có số liệu thay đổi." in out
    after = {
        model: list(model.objects.order_by("pk").values())
        for model in (TaskSummary, TargetSummary, PeriodSummary, PlanSummary, LeadSummary)
    }
    assert after == before
    out, _err = run("rebuild_summaries", "--commune", plan.commune.code)
    assert "1 kế hoạch; 0 kế hoạch có số liệu thay đổi." in out
    run("check")  # no CommandError


def test_rebuild_of_an_unknown_plan_says_so(plan):
    with pytest.raises(CommandError, match=r"Không tìm thấy kế hoạch nào như đã chọn\."):
        run("rebuild_summaries", "--plan", str(plan.pk + 1000))
