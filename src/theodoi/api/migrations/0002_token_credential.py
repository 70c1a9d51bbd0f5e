import hashlib
from typing import Any

from django.db import migrations, models


def stamp_existing_tokens(apps: Any, schema_editor: Any) -> None:
    """Tokens made before the stamp existed keep working: they are bound to the password
    their user has now."""
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.select_related("user").filter(credential=""):
        # As api.services.credential_stamp, fixed here: a migration keeps its meaning.
        token.credential = hashlib.sha256(token.user.password.encode()).hexdigest()
        token.save(update_fields=["credential"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="credential",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(stamp_existing_tokens, migrations.RunPython.noop),
    ]
