"""The generated permission matrix: every URL pattern (from the URL resolver) and every API
operation (from the OpenAPI schema), as every role, on an object of the user's own unit,
of another unit, of another commune and of another province.

The expected outcome is read from ``accounts.policy``: no role over the object's commune (or
province) means a 404 whatever the request; within it, the action each endpoint performs
(``ACTIONS``) is allowed or refused as ``policy.permits`` says. A new endpoint fails
``test_every_endpoint_says_which_action_it_performs`` until it is named here, and its
parameters must be ones the world below can fill, so nothing is left out by forgetting.

One world is built once for the module; every request runs in a savepoint rolled back after
it, so an allowed write leaves the world as it found it.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from theodoi.accounts.models import Role
from theodoi.accounts.policy import Action, Relation, permits
from theodoi.api.api import api
from theodoi.api.services import api_token_create
from theodoi.evidence.services import evidence_add_file
from theodoi.jobs.models import Job, JobState
from theodoi.plans.models import AssignmentRole, TaskAssignment
from theodoi.scorecards.services import assessment_ensure, entry_evidence_add_document
from theodoi.tracking.services import ValueInput, direction_add, target_value_save

from .evidence.factories import pdf_bytes
from .factories import make_commune, make_plan_import, make_plan_json, make_province, make_user
from .factories import unit_of as unit_named
from .scorecards.helpers import make_scorecard
from .tracking_factories import make_active_plan, make_report, period_of, target_of, task_of

SCOPES = ("own unit", "other unit", "other commune", "other province")
ROLES = (
    Role.PROVINCE_OFFICER,
    Role.COMMUNE_ADMIN,
    Role.STANDING_OFFICE,
    Role.LEADER,
    Role.UNIT_HEAD,
    Role.UNIT_STAFF,
    Role.SUPERVISOR,
)

# What each endpoint does, as the policy names it. None: a page about the user themself
# (their tasks, notifications, tokens) or public: only the tenant boundary is checked.
V, D = Action.VIEW, Action.VIEW_DASHBOARD
ACTIONS: dict[str, Action | None] = {
    # plans and imports
    "plan_list": V,
    "plan_detail": V,
    "plan_reactivate": Action.MANAGE_PLAN,
    "import_upload": Action.MANAGE_PLAN,
    "import_preview": Action.MANAGE_PLAN,
    "import_edit": Action.MANAGE_PLAN,
    "import_delete_row": Action.MANAGE_PLAN,
    "import_map_unit": Action.MANAGE_PLAN,
    "import_confirm": Action.MANAGE_PLAN,
    "import_discard": Action.MANAGE_PLAN,
    # evidence
    "evidence_download": Action.DOWNLOAD_EVIDENCE,
    "evidence_view": Action.DOWNLOAD_EVIDENCE,
    "evidence_withdraw": Action.DOWNLOAD_EVIDENCE,
    "evidence_review": Action.DOWNLOAD_EVIDENCE,
    "review_queue": Action.REVIEW_EVIDENCE,
    "target_value_review": V,
    # tracking
    "my_tasks": V,
    "task_detail": V,
    "report_edit": Action.REPORT,
    "direction_add": Action.GIVE_DIRECTION,
    "direction_acknowledge": Action.ACKNOWLEDGE_DIRECTION,
    "report_confirm_queue": V,
    "report_confirm": Action.CONFIRM_REPORT,
    "report_return": Action.CONFIRM_REPORT,
    "target_detail": V,
    "target_value_edit": Action.REPORT,
    "task_reassign": Action.MANAGE_PLAN,
    "task_deadline": Action.MANAGE_PLAN,
    "task_add": Action.MANAGE_PLAN,
    # dashboards and warnings
    "province_dashboard": Action.VIEW_PROVINCE,
    "national_dashboard": Action.VIEW_NATIONAL,
    "task_list": V,
    "commune_dashboard": V,
    "reporting_window": V,
    "reporting_remind": Action.REMIND,
    "unit_dashboard": V,
    "warning_list": V,
    "warning_ack": V,
    "directions_open": V,
    "api_token_revoke": None,
    # scorecards
    "province_scorecards": Action.MANAGE_SCORECARD,
    "scorecard_import": Action.MANAGE_SCORECARD,
    "scorecard_detail": Action.MANAGE_SCORECARD,
    "criterion_add": None,  # only while the scorecard is a draft
    "scorecard_publish": Action.MANAGE_SCORECARD,
    "scorecard_ranking": Action.MANAGE_SCORECARD,
    "criterion_edit": None,
    "criterion_delete": Action.MANAGE_SCORECARD,
    "commune_scorecards": V,
    "assessment_start": None,
    "assessment_detail": V,
    "assessment_results": V,
    "assessment_export_xlsx": V,
    "assessment_export_docx": V,
    "assessment_entry": V,
    "entry_evidence_add": V,
    "entry_appraise": V,
    "entry_explain": V,
    "scorecard_evidence_download": None,  # a document reference has no file
    "scorecard_evidence_withdraw": V,
    # reports and exports
    "report_page": Action.DRAW_REPORTS,
    "report_docx": Action.DRAW_REPORTS,
    "report_xlsx": Action.DRAW_REPORTS,
    "report_pdf": Action.DRAW_REPORTS,
    "report_year_end_docx": Action.DRAW_REPORTS,
    "report_upper": Action.DRAW_REPORTS,
    "report_upper_rates": Action.DRAW_REPORTS,
    "report_evidence_zip": Action.DRAW_REPORTS,
    "plan_export_json": Action.DRAW_REPORTS,
    "plan_export_xlsx": Action.DRAW_REPORTS,
    "province_report_docx": Action.VIEW_PROVINCE,
    "province_report_xlsx": Action.VIEW_PROVINCE,
    # people and units
    "people_list": Action.MANAGE_PEOPLE,
    "person_create": Action.MANAGE_PEOPLE,
    "people_import": Action.MANAGE_PEOPLE,
    "people_import_confirm": Action.MANAGE_PEOPLE,
    "person_detail": Action.MANAGE_PEOPLE,
    "person_set_active": Action.MANAGE_PEOPLE,
    "person_reset_password": Action.MANAGE_PEOPLE,
    "person_role_add": Action.MANAGE_PEOPLE,
    "person_role_remove": None,  # names a role to remove: a 404 without one
    "unit_list": Action.MANAGE_PEOPLE,
    "unit_update": None,
    "public_page_settings": Action.MANAGE_PEOPLE,
    "public_commune": None,
    # background jobs: their owner's alone, whatever the roles (tests/jobs)
    "job": None,
    "job_download": None,
}
API_ACTIONS: dict[str, Action | None] = {
    "GET /api/v1/plans/{plan_id}": V,
    "GET /api/v1/plans/{plan_id}/export": V,
    "POST /api/v1/communes/{commune_id}/plans/import": Action.MANAGE_PLAN,
    "GET /api/v1/plans/{plan_id}/periods": V,
    "GET /api/v1/plans/{plan_id}/tasks": V,
    "GET /api/v1/plans/{plan_id}/targets": V,
    "GET /api/v1/plans/{plan_id}/warnings": V,
    "GET /api/v1/plans/{plan_id}/dashboard": V,
    "GET /api/v1/tasks/{task_id}": V,
    "GET /api/v1/tasks/{task_id}/reports": V,
    "PUT /api/v1/tasks/{task_id}/reports/{period_id}": Action.REPORT,
    "GET /api/v1/reports/{report_id}": V,
    "POST /api/v1/reports/{report_id}/submit": Action.REPORT,
    "POST /api/v1/reports/{report_id}/confirm": Action.CONFIRM_REPORT,
    "POST /api/v1/reports/{report_id}/return": Action.CONFIRM_REPORT,
    "GET /api/v1/targets/{target_id}": V,
    "PUT /api/v1/targets/{target_id}/values/{period_id}": Action.REPORT,
    "GET /api/v1/target-values/{value_id}": V,
    "POST /api/v1/target-values/{value_id}/submit": Action.REPORT,
    "POST /api/v1/target-values/{value_id}/review": Action.REVIEW_VALUE,
    "GET /api/v1/communes/{commune_id}/review-queue": Action.REVIEW_EVIDENCE,
    "GET /api/v1/reports/{report_id}/evidence": V,
    "POST /api/v1/reports/{report_id}/evidence/file": Action.ADD_EVIDENCE,
    "POST /api/v1/reports/{report_id}/evidence/document": Action.ADD_EVIDENCE,
    "GET /api/v1/target-values/{value_id}/evidence": V,
    "POST /api/v1/target-values/{value_id}/evidence/file": Action.ADD_EVIDENCE,
    "POST /api/v1/target-values/{value_id}/evidence/document": Action.ADD_EVIDENCE,
    "GET /api/v1/evidence/{evidence_id}": Action.DOWNLOAD_EVIDENCE,
    "GET /api/v1/evidence/{evidence_id}/download": Action.DOWNLOAD_EVIDENCE,
    "POST /api/v1/evidence/{evidence_id}/review": Action.REVIEW_EVIDENCE,
    "POST /api/v1/evidence/{evidence_id}/withdraw": Action.ADD_EVIDENCE,
}
# Valid bodies, so a 422 never hides whether an object leaked.
REFERENCE = {"reference": "466/PVHXH - 15/03/2026: V/v triển khai"}
API_BODIES: dict[str, Any] = {
    "PUT /api/v1/tasks/{task_id}/reports/{period_id}": {"status": "in_progress", "percent": 10},
    "PUT /api/v1/targets/{target_id}/values/{period_id}": {"value": 80},
    "POST /api/v1/target-values/{value_id}/review": {"decision": "accepted"},
    "POST /api/v1/evidence/{evidence_id}/review": {"decision": "accepted"},
    "POST /api/v1/reports/{report_id}/evidence/document": REFERENCE,
    "POST /api/v1/target-values/{value_id}/evidence/document": REFERENCE,
    "POST /api/v1/communes/{commune_id}/plans/import": {
        "plan_json": make_plan_json(),
        "unknown_units": "keep",
    },
}
# Writing these costs seconds (LibreOffice, archives): they are requested where refused only.
HEAVY = {"report_pdf", "report_evidence_zip", "report_year_end_docx", "report_docx"}
# Parameters that name the object and differ between the user's unit and another unit.
UNIT_PARAMS = {
    "task_id",
    "report_id",
    "evidence_id",
    "value_id",
    "target_id",
    "direction_id",
    "entry_id",
    "unit_id",
}


# --- the world ------------------------------------------------------------------------------


def _commune_world(commune) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Objects of one commune: for "own unit" (Công an phường's) and "other unit" (Phòng Văn
    hóa - Xã hội's), each keyed by the URL parameter that names it."""
    plan = make_active_plan(commune, make_plan_json(commune=commune.name))
    police = unit_named(commune, "Công an phường")
    culture = unit_named(commune, "Phòng Văn hóa - Xã hội")
    target_of(plan, "1").owners.add(police)
    tag = commune.code
    staff = {
        unit: make_user(f"cb-{unit.pk}-{tag}", role=Role.UNIT_STAFF, commune=commune, unit=unit)
        for unit in (police, culture)
    }
    office = make_user(f"vp-{tag}", role=Role.STANDING_OFFICE, commune=commune)
    leader = make_user(f"ld-{tag}", role=Role.LEADER, commune=commune)
    shared = {
        "commune_id": commune.public_id,
        "plan_id": plan.public_id,
        "import_id": make_plan_import(commune).public_id,
        "period_id": period_of(plan, 3).public_id,
        "username": staff[police].username,
        "token_id": api_token_create(user=office, name="Thử")[0].public_id,
        "job_id": Job.objects.create(
            kind="report_pdf", owner=office, commune=commune, state=JobState.DONE
        ).public_id,
    }
    worlds = {}
    for scope, unit, task_code, target_code in (
        ("own unit", police, "I.1.1", "1"),
        ("other unit", culture, "I.1.2", "2"),
    ):
        user = staff[unit]
        task = task_of(plan, task_code)
        if not task.assignments.filter(unit=unit).exists():
            TaskAssignment.objects.create(task=task, unit=unit, role=AssignmentRole.LEAD)
        report = make_report(task, unit, user)
        data = pdf_bytes()
        evidence = evidence_add_file(
            report=report, unit=unit, user=user, filename="bien-ban.pdf",
            fileobj=io.BytesIO(data), size=len(data),
        )  # fmt: skip
        value = target_value_save(
            target=target_of(plan, target_code), period=period_of(plan, 3), unit=unit, user=user,
            data=ValueInput(value=80) if target_code == "1" else ValueInput(achieved_claim=True),
        )  # fmt: skip
        objects = dict(
            shared,
            task_id=task.public_id,
            report_id=report.public_id,
            evidence_id=evidence.public_id,
            value_id=value.public_id,
            target_id=target_of(plan, target_code).public_id,
            direction_id=direction_add(task=task, author=leader, text="Đẩy nhanh").public_id,
            unit_id=unit.public_id,
        )
        worlds[scope] = objects
    return worlds


def _scorecard_objects(province, commune) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    scorecard = make_scorecard(province)
    assessment = assessment_ensure(scorecard=scorecard, commune=commune)
    entry = assessment.entries.select_related("commune").first()
    assert entry is not None
    office = User.objects.get(username=f"vp-{commune.code}")
    evidence = entry_evidence_add_document(
        entry=entry, user=office, reference="12/BC-UBND - 20/03/2026: V/v chỉ số"
    )
    return {
        "scorecard_id": scorecard.public_id,
        "criterion_id": entry.criterion.public_id,
        "assessment_id": assessment.public_id,
        "entry_id": entry.public_id,
        "scorecard_evidence_id": evidence.public_id,
        "code": province.code,
    }


@dataclass
class World:
    objects: dict[str, dict[str, Any]]  # scope → URL parameter → value
    users: dict[str, User]
    tokens: dict[str, str]
    media: Any


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    from django.conf import settings

    media = tmp_path_factory.mktemp("matrix-media")
    settings.MEDIA_ROOT = media  # the evidence files stay for every test of the module
    with django_db_blocker.unblock(), transaction.atomic():
        province, far = make_province("Lâm Viên"), make_province("Cao Nguyên")
        home = make_commune("Hòa Phong", "phường", province)
        near = make_commune("Tân Hòa", "phường", province)
        away = make_commune("Đông Sơn", "phường", far)
        objects = _commune_world(home)
        objects["other commune"] = _commune_world(near)["own unit"]
        objects["other province"] = _commune_world(away)["own unit"]
        scorecards = {
            "own unit": _scorecard_objects(province, home),
            "other commune": _scorecard_objects(province, near),
            "other province": _scorecard_objects(far, away),
        }
        scorecards["other unit"] = scorecards["own unit"]
        for scope in SCOPES:
            objects[scope].update(scorecards[scope])
        police = unit_named(home, "Công an phường")
        users = {
            role: make_user(
                f"matrix-{role}",
                role=role,
                commune=home,
                province=province,
                unit=police if role in (Role.UNIT_HEAD, Role.UNIT_STAFF) else None,
            )
            for role in ROLES
        }
        tokens = {role: api_token_create(user=u, name="Ma trận")[1] for role, u in users.items()}
        yield World(objects=objects, users=users, tokens=tokens, media=media)  # type: ignore[arg-type]
        transaction.set_rollback(True)


# --- what the policy expects ------------------------------------------------------------------


def _roles_over(role: str, scope: str, province_level: bool) -> set[str]:
    """The roles the user holds over the scope's object (none: it is another tenant's)."""
    if scope == "other province":
        return set()
    if role == Role.PROVINCE_OFFICER:
        return {role}
    if province_level or scope == "other commune":
        return set()
    return {role}


# Someone else's own things: a 404 to everyone else, whatever their roles.
SOMEONE_ELSES = {"api_token_revoke", "job", "job_download"}


# Parameters naming a unit's own work (its report, value, evidence, criterion); the others
# (a task, a target, a direction on a task) are ones the unit leads.
OWN_WORK_PARAMS = {"report_id", "value_id", "evidence_id", "entry_id"}


def _expected(
    action: Action | None, role: str, scope: str, province_level: bool, params: list[str]
) -> str:
    roles = _roles_over(role, scope, province_level)
    if not roles:
        return "404"
    if action is None:
        return "any"
    relation = Relation.OTHER
    if scope == "own unit":
        relation = Relation.OWN if OWN_WORK_PARAMS & set(params) else Relation.LEAD
    return "allowed" if permits(action, roles, relation) else "refused"


def _outcome(status: int) -> str:
    if status == 404:
        return "404"
    if status == 403:
        return "refused"
    return "allowed"


@dataclass
class Tally:
    requests: int = 0
    outcomes: Counter[str] | None = None
    leaks: list[str] | None = None
    wrong: list[str] | None = None

    def __post_init__(self) -> None:
        self.outcomes, self.leaks, self.wrong = Counter(), [], []

    def record(self, what: str, expected: str, status: int) -> None:
        assert self.outcomes is not None and self.leaks is not None and self.wrong is not None
        got = _outcome(status)
        self.requests += 1
        self.outcomes[got] += 1
        if status >= 500:
            self.wrong.append(f"{what}: {status}")
        elif expected == "404" and got != "404":
            self.leaks.append(f"{what}: {status}")
        elif expected == "any":
            pass
        elif expected == "refused" and got == "allowed":
            self.wrong.append(f"{what}: allowed ({status}), the policy refuses it")
        elif expected == "allowed" and got != "allowed":
            self.wrong.append(f"{what}: {status}, the policy allows it")


def _rolled_back(send):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


# --- every URL pattern ------------------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolver: Any = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api-v1"):
                continue  # Django's admin is for system administrators; the API is below
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "<" in str(entry.pattern):
            yield entry.name or "", prefix + str(entry.pattern)


WEB = sorted(_patterns())


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["in"] == "path" for p in operation.get("parameters", []))
    )


API = _api_operations()


def _value(name: str, url_name: str, objects: dict[str, Any]) -> str:
    if name == "evidence_id" and url_name.startswith("scorecard_evidence"):
        name = "scorecard_evidence_id"
    return str(objects[name])


def test_every_endpoint_says_which_action_it_performs():
    assert {name for name, _ in WEB} <= set(ACTIONS), {n for n, _ in WEB} - set(ACTIONS)
    assert {f"{m} {p}" for m, p in API} == set(API_ACTIONS)
    known = {"scorecard_id", "criterion_id", "assessment_id", "entry_id", "code", "username"}
    known |= UNIT_PARAMS | {"commune_id", "plan_id", "import_id", "period_id", "token_id"}
    known |= {"job_id"}
    for _name, pattern in WEB:
        assert {m["name"] for m in PARAM.finditer(pattern)} <= known, pattern


@pytest.mark.django_db
def test_no_page_answers_outside_the_policy(world, settings):
    settings.MEDIA_ROOT = world.media
    tally = Tally()
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    for url_name, pattern in WEB:
        params = [m["name"] for m in PARAM.finditer(pattern)]
        province_level = params == ["code"] and url_name != "public_commune"
        for scope in SCOPES:
            if scope == "other unit" and not UNIT_PARAMS & set(params):
                continue  # the same objects as "own unit"
            objects = world.objects[scope]
            if url_name == "public_commune":
                continue  # public by design, checked in tests/accounts/test_public.py
            path = "/" + PARAM.sub(
                lambda m, n=url_name, o=objects: _value(m["name"], n, o), pattern
            )
            for role in ROLES:
                expected = _expected(ACTIONS[url_name], role, scope, province_level, params)
                if url_name in SOMEONE_ELSES:
                    expected = "404"
                if url_name in HEAVY and expected == "allowed":
                    continue
                client = clients[role]
                response = _rolled_back(lambda c=client, p=path: c.get(p))
                if response.status_code == 405:
                    response = _rolled_back(lambda c=client, p=path: c.post(p, {}))
                tally.record(f"{role} {scope} {path}", expected, response.status_code)
    print(f"\nweb: {tally.requests} requests, {dict(tally.outcomes or {})}")
    assert tally.leaks == [], tally.leaks
    assert tally.wrong == [], tally.wrong


def _api_send(client: Client, method: str, path: str, key: str, headers: dict[str, str]) -> Any:
    if key.endswith("/evidence/file"):
        upload = {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}
        return client.post(path, upload, headers=headers)
    if method == "GET":
        return client.get(path, headers=headers)
    body = json.dumps(API_BODIES.get(key, {}))
    return client.generic(method, path, body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_no_api_operation_answers_outside_the_policy(world, settings):
    settings.MEDIA_ROOT = world.media
    tally = Tally()
    client = Client()
    for method, path_template in API:
        key = f"{method} {path_template}"
        params = [m.strip("{}") for m in re.findall(r"\{[^}]+\}", path_template)]
        for scope in SCOPES:
            if scope == "other unit" and not UNIT_PARAMS & set(params):
                continue
            objects = world.objects[scope]
            path = path_template.format(**{p: str(objects[p]) for p in params})
            for role in ROLES:
                expected = _expected(API_ACTIONS[key], role, scope, False, params)
                headers = {"Authorization": f"Bearer {world.tokens[role]}"}
                response = _rolled_back(
                    lambda m=method, p=path, k=key, h=headers: _api_send(client, m, p, k, h)
                )
                tally.record(f"{role} {scope} {key}", expected, response.status_code)
    print(f"\napi: {tally.requests} requests, {dict(tally.outcomes or {})}")
    assert tally.leaks == [], tally.leaks
    assert tally.wrong == [], tally.wrong
