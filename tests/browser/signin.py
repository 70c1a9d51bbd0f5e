"""Signing in through the login page, as a person would, in a browser context of its own."""

from __future__ import annotations

from typing import Any


def sign_in(
    browser: Any,
    live_server: Any,
    username: str,
    password: str,
    *,
    viewport: dict[str, int],
    refused: list[str] | None = None,
) -> tuple[Any, Any]:
    """A new context at ``viewport``, signed in as ``username`` and on the home page.
    ``refused`` collects what the Content-Security-Policy blocked (an inline style or
    script shows up in the console)."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    if refused is not None:
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page
