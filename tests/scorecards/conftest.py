import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # The cast's passwords are hashed with Argon2 (about a second each); these tests never
    # check a password, so a fast hasher keeps them quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _vietnamese():  # type: ignore[no-untyped-def]
    # A request made in English (LocaleMiddleware) leaves English active on the thread;
    # the services' messages read here must come out in the default language.
    with translation.override("vi"):
        yield
