import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _vietnamese():  # type: ignore[no-untyped-def]
    # A request made in English (LocaleMiddleware) leaves English active on the thread;
    # the services' messages read here must come out in the default language.
    with translation.override("vi"):
        yield
