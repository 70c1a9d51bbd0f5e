"""The warnings list (filters, acknowledging) and the notifications page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from theodoi.accounts.models import Role
from theodoi.alerts.models import Notification, WarningAck
from theodoi.alerts.rules import Kind

from ..factories import PASSWORD, make_plan_json, make_user, unit_of
from ..tracking_factories import make_active_plan, task_of

pytestmark = pytest.mark.django_db


def _task(code: str, name: str, lead: str, due: dt.date) -> dict[str, Any]:
    return {
        "code": code, "parent": None, "group": "Hạ tầng số", "name": name,
        "output": "Báo cáo kết quả", "kpi": None, "lead": [lead], "support": [],
        "deadline": {"text": f"{due:%d/%m/%Y}", "kind": "date", "due": due.isoformat(),
                     "recurrence": None},
        "note": None, "missing": [], "line": 80,
    }  # fmt: skip


def _plan(commune, extra: int = 0):  # type: ignore[no-untyped-def]
    """I.1.1 (Công an) and I.2 (TT PVHCC) overdue, counted from the real today."""
    today = timezone.localdate()
    data = make_plan_json()
    data["tasks"][1]["deadline"]["due"] = (today - dt.timedelta(days=10)).isoformat()
    data["tasks"].append(
        _task("I.2", "Lắp đặt wifi công cộng", "Trung tâm Phục vụ hành chính công",
              today - dt.timedelta(days=5))
    )  # fmt: skip
    data["tasks"] += [
        _task(f"II.{n}", f"Nhiệm vụ thêm {n}", "Công an phường", today - dt.timedelta(days=n))
        for n in range(1, extra + 1)
    ]
    return make_active_plan(commune, data)


@pytest.fixture
def plan(commune):  # type: ignore[no-untyped-def]
    return _plan(commune)


@pytest.fixture
def supervisor(commune):  # type: ignore[no-untyped-def]
    return make_user("mttq", role=Role.SUPERVISOR, commune=commune)


def _login(client, user):  # type: ignore[no-untyped-def]
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _list_url(commune) -> str:  # type: ignore[no-untyped-def]
    return reverse("warning_list", args=[commune.public_id])


def _ack_url(commune) -> str:  # type: ignore[no-untyped-def]
    return reverse("warning_ack", args=[commune.public_id])


def _key(plan, code: str = "I.1.1") -> str:  # type: ignore[no-untyped-def]
    return f"{Kind.OVERDUE}:{task_of(plan, code).public_id}"


# -- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "sees_police", "sees_centre"),
    [
        ("office", 200, True, True),
        ("leader", 200, True, True),
        ("supervisor", 200, True, True),
        ("province_officer", 200, True, True),
        ("police", 200, True, False),
        ("other_office", 404, False, False),
    ],
)
def test_the_warnings_list_by_role(
    client, request, plan, commune, who, status, sees_police, sees_centre
):
    user = request.getfixturevalue(who)
    response = _login(client, user).get(_list_url(commune))
    assert response.status_code == status
    page = response.content.decode()
    assert ("Số hóa hồ sơ lĩnh vực hộ tịch" in page) is sees_police
    assert ("Lắp đặt wifi công cộng" in page) is sees_centre


def test_an_anonymous_visitor_is_sent_to_log_in(client, plan, commune):
    response = client.get(_list_url(commune))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_each_row_names_its_kind_severity_reason_and_links_to_the_task(
    client, plan, commune, office
):
    page = _login(client, office).get(_list_url(commune)).content.decode()
    assert "Quá hạn" in page
    assert "Cao" in page
    assert "quá hạn 10 ngày" in page
    assert reverse("task_detail", args=[task_of(plan, "I.1.1").public_id]) in page
    assert "Ghi nhận" in page


def test_the_province_reads_the_list_but_cannot_acknowledge(
    client, plan, commune, province_officer
):
    _login(client, province_officer)
    assert 'name="key"' not in client.get(_list_url(commune)).content.decode()
    response = client.post(_ack_url(commune), {"key": _key(plan)})
    assert response.status_code == 302
    assert not WarningAck.objects.exists()


# -- filters ---------------------------------------------------------------------------------


def test_the_list_filters_by_unit_in_a_shareable_link(client, plan, commune, office):
    police_unit = unit_of(commune, "Công an phường")
    page = (
        _login(client, office)
        .get(_list_url(commune), {"unit": str(police_unit.public_id)})
        .content.decode()
    )
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page
    assert "Lắp đặt wifi công cộng" not in page
    assert "selected>Công an phường" in page


def test_the_list_filters_by_kind_and_ignores_unknown_values(client, plan, commune, office):
    _login(client, office)
    page = client.get(_list_url(commune), {"kind": Kind.DUE_SOON}).content.decode()
    assert "Không có cảnh báo nào phù hợp." in page
    page = client.get(_list_url(commune), {"kind": "no-such-kind", "unit": "x"}).content.decode()
    assert "Lắp đặt wifi công cộng" in page


def test_the_list_filters_by_acknowledgement(client, plan, commune, office):
    WarningAck.objects.create(commune=commune, key=_key(plan), user=office)
    _login(client, office)
    page = client.get(_list_url(commune), {"ack": "open"}).content.decode()
    assert "Lắp đặt wifi công cộng" in page
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" not in page
    page = client.get(_list_url(commune), {"ack": "done"}).content.decode()
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in page
    assert "Lắp đặt wifi công cộng" not in page


def test_filtering_with_htmx_answers_with_the_list_only(client, plan, commune, office):
    response = _login(client, office).get(
        _list_url(commune), {"kind": Kind.OVERDUE}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="warning-list">')
    assert "<html" not in page


# -- acknowledging ---------------------------------------------------------------------------


def test_acknowledging_by_plain_post_returns_to_the_filtered_list_and_shows_who(
    client, plan, commune, office
):
    _login(client, office)
    response = client.post(
        _ack_url(commune), {"key": _key(plan), "note": "Đã nhắc Công an", "q": "kind=overdue"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(_list_url(commune) + "?kind=overdue#w-overdue-")
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận cảnh báo." in page
    assert "Đã ghi nhận: vanphong" in page
    assert "Đã nhắc Công an" in page
    client.post(_ack_url(commune), {"key": _key(plan)})
    assert WarningAck.objects.count() == 1


def test_acknowledging_with_htmx_swaps_the_row(client, plan, commune, police):
    response = _login(client, police).post(
        _ack_url(commune), {"key": _key(plan)}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'class="list-group-item warning-row warning-acknowledged"' in page
    assert "Đã ghi nhận: congan" in page
    assert WarningAck.objects.get().user == police


def test_a_unit_cannot_acknowledge_another_units_warning(client, plan, commune, police):
    _login(client, police)
    response = client.post(_ack_url(commune), {"key": _key(plan, "I.2")}, follow=True)
    assert "không thuộc đơn vị của bạn" in response.content.decode()
    assert not WarningAck.objects.exists()


def test_another_communes_user_cannot_acknowledge(client, plan, commune, other_office):
    response = _login(client, other_office).post(_ack_url(commune), {"key": _key(plan)})
    assert response.status_code == 404
    assert not WarningAck.objects.exists()


def test_acknowledging_needs_a_post(client, plan, commune, office):
    assert _login(client, office).get(_ack_url(commune)).status_code == 405


# -- query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [2, 40])
def test_the_lists_queries_do_not_grow_with_the_number_of_tasks(
    client, commune, office, django_assert_max_num_queries, extra
):
    plan = _plan(commune, extra=extra)
    WarningAck.objects.create(commune=commune, key=_key(plan), user=office)
    _login(client, office)
    # ~15 for the rules over the whole plan, the rest session, user, access and the navbar:
    # the same budget holds for 2 tasks and for 40.
    with django_assert_max_num_queries(25):
        response = client.get(_list_url(commune))
    assert response.content.decode().count("warning-row") >= extra + 2


# -- notifications ---------------------------------------------------------------------------


def _note(user, commune, text: str, url: str = "") -> Notification:  # type: ignore[no-untyped-def]
    return Notification.objects.create(user=user, commune=commune, text=text, url=url)


def test_a_person_sees_only_their_own_notifications(client, commune, office, police):
    _note(police, commune, "Minh chứng của nhiệm vụ I.1.1 không đạt")
    _note(office, commune, "Có báo cáo mới chờ thẩm định")
    page = _login(client, police).get(reverse("notification_list")).content.decode()
    assert "Minh chứng của nhiệm vụ I.1.1 không đạt" in page
    assert "Có báo cáo mới chờ thẩm định" not in page
    assert "1 chưa đọc" in page


def test_the_navbar_counts_unread_notifications(client, commune, office):
    _note(office, commune, "Một")
    _note(office, commune, "Hai")
    Notification.objects.create(user=office, commune=commune, text="Ba", read_at=timezone.now())
    page = _login(client, office).get(reverse("notification_list")).content.decode()
    navbar = page[page.index('id="nav-notifications"') :].split("</a>")[0]
    assert ">2<" in navbar


def test_an_anonymous_page_counts_no_notifications(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("login")).status_code == 200
    assert not any("alerts_notification" in q["sql"] for q in queries.captured_queries)


def test_marking_one_notification_read(client, commune, police):
    note = _note(police, commune, "Nhắc báo cáo")
    other = _note(police, commune, "Chưa đọc")
    response = _login(client, police).post(reverse("notification_read"), {"id": note.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None
    assert other.read_at is None


def test_a_notification_number_in_other_digits_is_a_400_not_a_crash(client, commune, police):
    note = _note(police, commune, "Nhắc báo cáo")
    response = _login(client, police).post(reverse("notification_read"), {"id": "²"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_one_read_with_htmx_swaps_the_list_with_its_new_count(client, commune, police):
    note = _note(police, commune, "Nhắc báo cáo")
    _note(police, commune, "Chưa đọc")
    response = _login(client, police).post(
        reverse("notification_read"), {"id": note.pk}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert page.count("notification-unread") == 1
    assert "1 chưa đọc" in page
    assert "Nhắc báo cáo" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, commune, police):
    note = _note(police, commune, "Xem cảnh báo", url=_list_url(commune))
    response = _login(client, police).post(reverse("notification_read"), {"id": note.pk, "go": "1"})
    assert response["Location"] == _list_url(commune)
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_all_read(client, commune, police, office):
    for text in ("Một", "Hai"):
        _note(police, commune, text)
    theirs = _note(office, commune, "Của người khác")
    _login(client, police)
    response = client.post(reverse("notification_read"), {"all": "1"}, follow=True)
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(user=police).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_cannot_be_marked(client, commune, police, office):
    theirs = _note(office, commune, "Của văn phòng")
    response = _login(client, police).post(reverse("notification_read"), {"id": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


# -- grouped by unit ----------------------------------------------------------------------------


@pytest.fixture
def shared_plan(commune):  # type: ignore[no-untyped-def]
    """I.1.1 (Công an), I.2 (TT PVHCC) and I.3 (both lead) overdue."""
    today = timezone.localdate()
    data = make_plan_json()
    data["tasks"][1]["deadline"]["due"] = (today - dt.timedelta(days=10)).isoformat()
    centre = "Trung tâm Phục vụ hành chính công"
    shared = _task("I.3", "Kết nối camera an ninh", "Công an phường", today - dt.timedelta(days=3))
    shared["lead"].append(centre)
    data["tasks"] += [
        _task("I.2", "Lắp đặt wifi công cộng", centre, today - dt.timedelta(days=5)),
        shared,
    ]
    return make_active_plan(commune, data)


def _groups(page: str) -> dict[str, str]:
    """Each unit's fold on the list: its public id → its HTML."""
    folds = page.split('<details class="card mb-2 warning-group" data-unit="')[1:]
    return {fold.split('"', 1)[0]: fold for fold in folds}


def test_warnings_are_grouped_by_unit_folded_and_counted_by_kind(
    client, shared_plan, commune, leader
):
    police = unit_of(commune, "Công an phường")
    centre = unit_of(commune, "Trung tâm Phục vụ hành chính công")
    page = _login(client, leader).get(_list_url(commune), {"kind": Kind.OVERDUE}).content.decode()
    groups = _groups(page)
    # As many warnings each, so in the units' order by name.
    assert list(groups) == [str(police.public_id), str(centre.public_id)]
    for key in groups:
        fold = groups[key]
        # Two warnings each: the shared task I.3 is under both units, as the unit filter lists.
        assert '<span class="badge text-bg-danger group-count">2</span>' in fold
        assert "Quá hạn: 2" in fold
        assert " open>" not in fold.split(">", 1)[0] + ">"  # folded: several units
        assert "Kết nối camera an ninh" in fold
    assert "Số hóa hồ sơ lĩnh vực hộ tịch" in groups[str(police.public_id)]
    assert "Lắp đặt wifi công cộng" in groups[str(centre.public_id)]
    # The shared warning's page anchor and note field id are not repeated.
    anchor = f'id="w-overdue-{task_of(shared_plan, "I.3").public_id}"'
    assert page.count(anchor) == 1
    assert page.count('id="note-') == len(set(re.findall(r'id="(note-[^"]+)"', page))) == 4


def test_a_note_field_opens_only_with_the_warning_being_acknowledged(
    client, shared_plan, commune, office
):
    page = _login(client, office).get(_list_url(commune)).content.decode()
    forms = page.split('name="note"')
    assert len(forms) > 3
    # Every note field sits in its warning's own "Ghi nhận…" fold, closed.
    for before in forms[:-1]:
        fold = before.rsplit("<details", 1)[1]
        assert fold.startswith(' class="ack-fold mt-1">')


def test_one_units_list_is_open(client, shared_plan, commune, office):
    police = unit_of(commune, "Công an phường")
    page = (
        _login(client, office)
        .get(_list_url(commune), {"unit": str(police.public_id)})
        .content.decode()
    )
    assert list(_groups(page)) == [str(police.public_id)]
    assert f'data-unit="{police.public_id}" open>' in page
