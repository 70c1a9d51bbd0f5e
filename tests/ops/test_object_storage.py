"""Files on S3-compatible object storage (a real S3 API server: moto's), end to end."""

from __future__ import annotations

import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from theodoi.evidence.models import Evidence

from .conftest import S3_KEYS, a_commune_at_work, new_bucket, s3_environment
from .helpers import census_here, census_of, theodoi


def objects_in(endpoint: str, bucket: str) -> list[str]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )
    listed = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.mark.django_db(transaction=True)
def test_evidence_lives_in_the_bucket_and_survives_backup_and_restore_into_another(
    commune, police, leader, client, bucket, s3_endpoint, settings, tmp_path, empty_target
):
    a_commune_at_work(commune, police)
    stored = sorted(Evidence.objects.exclude(file="").values_list("file", flat=True))
    assert objects_in(s3_endpoint, bucket) == stored
    assert not (settings.MEDIA_ROOT / "evidence").exists()  # nothing on this machine's disk

    evidence = Evidence.objects.exclude(file="").earliest("pk")
    client.force_login(leader)
    response = client.get(reverse("evidence_download", args=[evidence.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == default_storage.open(evidence.file.name).read()

    out = io.StringIO()
    call_command("check", stdout=out)
    assert "2 tệp có bản ghi" in out.getvalue() and "không có vấn đề" in out.getvalue()

    archive = tmp_path / "theodoi.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    other = new_bucket(s3_endpoint)
    target = {**empty_target, **s3_environment(s3_endpoint, other)}
    restored = theodoi("restore", str(archive), env=target)
    assert restored.returncode == 0, restored.stderr
    assert objects_in(s3_endpoint, other) == stored
    after = census_of(target)
    assert after["hashes"] == census_here()["hashes"]
    assert "2 tệp có bản ghi" in after["check"] and "không có vấn đề" in after["check"]
