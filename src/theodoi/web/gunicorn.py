"""gunicorn embedded: `theodoi serve` runs it with settings from the environment."""

from __future__ import annotations

import gc
from typing import Any

from django.conf import settings
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """The application, loaded once in the master before it forks its workers."""
        from django.urls import get_resolver

        from theodoi.wsgi import application

        # Every view module imported now, not by each worker's first requests.
        get_resolver().url_patterns  # noqa: B018
        # What is loaded by now lives as long as the process: frozen, the garbage collector
        # no longer walks it on every full collection (a pause of ~100 ms in a worker every
        # few dozen requests, measured), and the workers share its memory pages.
        gc.collect()
        gc.freeze()
        return application


def options(*, host: str, port: int) -> dict[str, Any]:
    threads = max(1, settings.THEODOI_WEB_THREADS)
    return {
        "bind": f"{host}:{port}",
        "workers": max(1, settings.THEODOI_WEB_WORKERS),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": settings.THEODOI_WEB_TIMEOUT,
        "graceful_timeout": min(30, settings.THEODOI_WEB_TIMEOUT),
        # A worker is replaced now and then: a slow leak never grows without bound.
        "max_requests": settings.THEODOI_WEB_MAX_REQUESTS,
        "max_requests_jitter": max(1, settings.THEODOI_WEB_MAX_REQUESTS // 10),
        "keepalive": 5,
        "proc_name": "theodoi",
        # The request log is ours (lib/requestlog.py): one JSON line with user and commune.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "preload_app": True,
    }


def run(*, host: str, port: int) -> None:
    _Server(options(host=host, port=port)).run()
