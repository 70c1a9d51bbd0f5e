from typing import Any

from django.db import migrations, models
from django.utils.crypto import salted_hmac

# The same salt as api.services.CREDENTIAL_SALT, fixed here: a migration must not change
# meaning when the code it was written beside does.
CREDENTIAL_SALT = "theodoi.api.ApiToken.credential"


def stamp_existing_tokens(apps: Any, schema_editor: Any) -> None:
    """Tokens made before the stamp existed keep working: they are bound to the password
    their user has now."""
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.select_related("user").filter(credential=""):
        token.credential = salted_hmac(
            CREDENTIAL_SALT, token.user.password, algorithm="sha256"
        ).hexdigest()
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
