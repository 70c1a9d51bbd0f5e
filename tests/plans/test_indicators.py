"""The indicator catalogue and matching the real plans' targets to it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from theodoi.importer.core.parse import parse_file
from theodoi.plans.indicators import (
    CATALOGUE_PATH,
    MATCH_THRESHOLD,
    IndicatorMatcher,
    catalogue_entries,
    fold,
    indicators_load,
    indicators_match,
    normalise,
)
from theodoi.plans.models import Indicator, Plan
from theodoi.plans.services import UnitResolver, plan_create_from_json

from ..conftest import PLANS_DIR
from ..factories import make_commune, make_user

# What a province officer would link each target of the real plans to; None: no common
# indicator (the plan's own goal, or a different measure that only looks alike).
EXPECTED: dict[str, dict[str, str | None]] = {
    "backan-2026.txt": {
        "1": "phu-song-5g",
        "2": "bang-rong-co-dinh-gbps",
        "3": None,  # officials with a computer and a personal signature: not the people's
        "4": "chu-ky-so-nguoi-dan",
        "5": None,  # IoT connections per person
        "6": "boi-duong-ky-nang-so-can-bo",
        "7": "lam-chu-ky-nang-so",
        "8": "dich-vu-so-thiet-yeu",
        "9": "tthc-sxkd-truc-tuyen",
        "10": "giao-dich-phi-tiep-xuc",
        "11": "so-hoa-ho-so-tthc",
        "12": "dvc-truc-tuyen-toan-trinh",
        "13": "tthc-xu-ly-truc-tuyen",
        "14": "ket-qua-tthc-dien-tu",
        "15": "tai-su-dung-du-lieu",
        "16": "thanh-toan-truc-tuyen-tthc",
        "17": "doanh-nghiep-cong-nghe-so",
        "18": "ho-so-suc-khoe-dien-tu",
        "19": "vneid",  # "Phần đầu cấp tài khoản ... (VNeID)": a misprint of "phấn đấu"
        "20": "attt-theo-cap-do",
        "21": None,  # network monitoring, not protection by level
    },
    "phuocbinh-2026.txt": {
        "1.1.1": "phu-song-5g",
        "1.1.2": "bang-rong-co-dinh-gbps",
        "1.2.1": "chi-ngan-sach-khcn-cds",
        "1.2.2": "boi-duong-ky-nang-so-can-bo",
        "1.2.3": "lam-chu-ky-nang-so",
        "1.2.4": None,  # pupils' digital skills
        "1.2.5": "dich-vu-so-thiet-yeu",
        "1.3": None,
        "1.4.1": None,
        "1.4.2": None,
        "1.5.1": "xep-hang-dti-xa",
        "1.5.2": None,  # procedures regardless of administrative boundaries
        "1.5.3": "tthc-sxkd-truc-tuyen",
        "1.5.4": "giao-dich-phi-tiep-xuc",
        "1.5.5": "so-hoa-ho-so-tthc",
        "1.5.6": "dvc-truc-tuyen-toan-trinh",
        "1.5.7": "tthc-xu-ly-truc-tuyen",
        "1.5.8": "su-dung-dvc-truc-tuyen",
        "1.5.9": "ket-qua-tthc-dien-tu",
        "1.5.10": "tai-su-dung-du-lieu",
        "1.5.11": "thanh-toan-truc-tuyen-tthc",
        "1.5.12": "van-ban-dien-tu",
        "1.5.13": None,
        "1.5.14": None,
        "1.5.15": "khong-dung-tien-mat",
        "1.5.16a": None,  # databases digitised and linked, not procedure records
        "1.5.16b": None,
        "1.5.17": "doanh-nghiep-cong-nghe-so",
        "1.5.18": "vneid",
        "1.5.19": "chu-ky-so-nguoi-dan",
        "1.5.20": None,
        "1.5.21": None,
        "1.5.22": "tai-khoan-ngan-hang",
        "1.5.23": "ho-so-suc-khoe-dien-tu",  # "Sổ sức khỏe điện tử"
        "1.5.24": "vneid",  # "được định danh số"
        "1.5.25": "attt-theo-cap-do",
    },
    "quyetthang-2026.txt": {
        "T1": "hai-long-dvc",  # not "sử dụng dịch vụ công trực tuyến", though close
        "T2": None,
        "T3": None,  # officials using the document system: not "làm chủ kỹ năng số"
        "T4": None,
        "T5": None,
        "T6": "doanh-nghiep-cong-nghe-so",
        "T7": None,
        "T8": None,  # markets going cashless: not the share of cashless transactions
        "T9": "phu-song-5g",  # "Mạng 4G/5G phủ sóng tại 100% khu dân cư"
        "T10": "bang-rong-co-dinh-gbps",  # "cáp quang ... FTTH tốc độ Gbps"
        "T11": "dien-thoai-thong-minh",
        "T12": "to-cong-nghe-so-cong-dong",
        "T13": None,
    },
}


def _real_plan(filename: str) -> Plan:
    commune = make_commune(filename.split("-")[0].title(), "phường")
    return plan_create_from_json(
        commune=commune,
        plan_json=parse_file(PLANS_DIR / filename),
        resolver=UnitResolver.for_commune(commune),
        created_by=None,
    )


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    indicators_load()
    return {ind.code: ind for ind in Indicator.objects.all()}


# -- normalising names --------------------------------------------------------------------


def test_numbers_percent_signs_and_phrasing_words_are_left_out_of_a_name():
    assert (
        normalise("Tỷ lệ hồ sơ TTHC xử lý trực tuyến đạt trên 95%") == "hồ sơ tthc xử lý trực tuyến"
    )


def test_a_number_inside_a_word_is_kept():
    assert normalise("Mạng 4G/5G phủ sóng tại 100% khu dân cư") == "mạng 4g 5g phủ sóng khu dân cư"


def test_folding_makes_old_and_new_accent_placement_equal():
    assert fold(normalise("Số hoá hồ sơ")) == fold(normalise("số hóa hồ sơ")) == "so hoa ho so"


def test_a_name_written_without_marks_still_finds_its_indicator(catalogue):
    matcher = IndicatorMatcher(catalogue.values())
    indicator, score = matcher.best("Ty le nguoi dan co ho so suc khoe dien tu")
    assert indicator == catalogue["ho-so-suc-khoe-dien-tu"]
    assert score >= MATCH_THRESHOLD


# -- the catalogue ---------------------------------------------------------------------------


def test_the_catalogue_holds_about_twenty_indicators_each_with_group_and_unit():
    entries = catalogue_entries()
    assert 20 <= len(entries) <= 35
    assert len({e["code"] for e in entries}) == len(entries)
    assert all(e["name"] and e["group"] and e["measure_unit"] for e in entries)


def test_loading_the_catalogue_twice_changes_nothing_the_second_time(db):
    created, updated = indicators_load()
    assert created == len(catalogue_entries())
    assert updated == 0
    assert indicators_load() == (0, 0)
    assert Indicator.objects.count() == len(catalogue_entries())


def test_loading_keeps_what_was_edited_in_the_admin_and_adds_new_aliases(db, tmp_path):
    indicators_load()
    vneid = Indicator.objects.get(code="vneid")
    vneid.name = "Tỷ lệ công dân có tài khoản VNeID mức 2"
    vneid.save()
    data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    entry = next(e for e in data["indicators"] if e["code"] == "vneid")
    entry["aliases"].append("Công dân kích hoạt VNeID")
    edited = Path(tmp_path) / "indicators.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert indicators_load(path=edited) == (0, 1)
    vneid.refresh_from_db()
    assert vneid.name == "Tỷ lệ công dân có tài khoản VNeID mức 2"
    assert "Công dân kích hoạt VNeID" in vneid.aliases


# -- matching the real plans ---------------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_the_real_plans_targets_link_to_the_indicators_a_person_would_choose(filename, catalogue):
    plan = _real_plan(filename)
    results = indicators_match(plan=plan)
    found = {target.code: (ind.code if ind else None) for target, ind, _score in results}
    assert found == EXPECTED[filename]
    # Stored on the targets, not only returned.
    stored = dict(plan.targets.values_list("code", "indicator__code"))
    assert stored == EXPECTED[filename]


def test_the_threshold_sits_in_the_gap_between_true_matches_and_unrelated_targets(catalogue):
    """Why 72: on the real plans, true matches score at least 77, unrelated targets at most 68."""
    matcher = IndicatorMatcher(catalogue.values())
    true_scores, unrelated_scores = [], []
    for filename, expected in EXPECTED.items():
        for target in parse_file(PLANS_DIR / filename)["targets"]:
            indicator, score = matcher.best(target["name"])
            wanted = expected[target["code"]]
            if wanted is None:
                unrelated_scores.append(score)
            else:
                assert indicator is not None and indicator.code == wanted
                true_scores.append(score)
    assert max(unrelated_scores) < MATCH_THRESHOLD < min(true_scores)
    assert min(true_scores) - MATCH_THRESHOLD >= 5
    assert MATCH_THRESHOLD - max(unrelated_scores) >= 4


def test_three_plans_wording_5g_coverage_differently_meet_on_one_indicator(catalogue):
    plans = [_real_plan(f) for f in sorted(EXPECTED)]
    for plan in plans:
        indicators_match(plan=plan)
    names = sorted(catalogue["phu-song-5g"].targets.values_list("name", flat=True))
    assert names == [
        "Mạng 4G/5G phủ sóng tại 100% khu dân cư",
        "Tỷ lệ phủ sóng 5G trên dân số",
        "Tỷ lệ phủ sóng 5G trên địa bàn",
    ]


# -- people's choices stay --------------------------------------------------------------------


def test_a_link_set_by_hand_is_never_overwritten(catalogue):
    plan = _real_plan("quyetthang-2026.txt")
    t2 = plan.targets.get(code="T2")  # signed documents: the matcher leaves it unlinked
    t9 = plan.targets.get(code="T9")
    t2.indicator = catalogue["van-ban-dien-tu"]
    t9.indicator = catalogue["bang-rong-co-dinh-gbps"]  # a person's (odd) choice
    t2.save()
    t9.save()

    results = {t.code: (ind, score) for t, ind, score in indicators_match(plan=plan)}

    t2.refresh_from_db()
    t9.refresh_from_db()
    assert t2.indicator == catalogue["van-ban-dien-tu"]
    assert t9.indicator == catalogue["bang-rong-co-dinh-gbps"]
    # The result says how close the kept choice is to the target's wording.
    assert results["T9"][0] == catalogue["bang-rong-co-dinh-gbps"]
    assert results["T9"][1] < MATCH_THRESHOLD


def test_force_matches_again_and_clears_links_below_the_threshold(catalogue):
    plan = _real_plan("quyetthang-2026.txt")
    plan.targets.filter(code__in=["T2", "T9"]).update(indicator=catalogue["vneid"])

    indicators_match(plan=plan, force=True)

    links = dict(plan.targets.values_list("code", "indicator__code"))
    assert links["T9"] == "phu-song-5g"
    assert links["T2"] is None


def test_an_empty_catalogue_links_nothing(db):
    plan = _real_plan("backan-2026.txt")
    results = indicators_match(plan=plan)
    assert {ind for _t, ind, _s in results} == {None}
    assert not plan.targets.filter(indicator__isnull=False).exists()


# -- the command --------------------------------------------------------------------------


def test_the_command_loads_the_catalogue_when_empty_and_links_every_active_plan(db):
    plan = _real_plan("phuocbinh-2026.txt")
    out = io.StringIO()
    call_command("match_indicators", stdout=out)
    linked = sum(1 for code in EXPECTED["phuocbinh-2026.txt"].values() if code)
    assert f"{linked}/36 chỉ tiêu đã gắn" in out.getvalue()
    assert plan.targets.filter(indicator__isnull=False).count() == linked


def test_the_command_on_one_plan_keeps_hand_links_unless_forced(catalogue):
    plan = _real_plan("quyetthang-2026.txt")
    plan.targets.filter(code="T9").update(indicator=catalogue["vneid"])
    call_command("match_indicators", plan=str(plan.public_id), stdout=io.StringIO())
    assert plan.targets.get(code="T9").indicator == catalogue["vneid"]
    call_command("match_indicators", plan=str(plan.public_id), force=True, stdout=io.StringIO())
    assert plan.targets.get(code="T9").indicator == catalogue["phu-song-5g"]


def test_the_command_names_an_unknown_plan(db):
    with pytest.raises(CommandError, match="Không có kế hoạch"):
        call_command(
            "match_indicators", plan="00000000-0000-0000-0000-000000000001", stdout=io.StringIO()
        )


def test_the_catalogue_is_listed_and_editable_in_the_admin(catalogue):
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    listing = client.get("/admin/plans/indicator/")
    assert listing.status_code == 200
    assert "Tỷ lệ phủ sóng mạng di động 5G" in listing.content.decode()
    vneid = catalogue["vneid"]
    page = client.get(f"/admin/plans/indicator/{vneid.pk}/change/")
    assert page.status_code == 200
