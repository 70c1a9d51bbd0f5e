"""The dashboard's repeated cells, written in Python: a table of units × statuses holds
hundreds of cells, and the template engine spends more on each of them than on the rest of
the page. The markup is the one the templates wrote (the tests read it)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from theodoi.dashboards.ranking import Criterion

register = template.Library()


def _count(key: str, count: int, url: str, *, muted_zero: bool) -> SafeString:
    if not url:  # under a status filter, the other columns' zeros link nowhere
        return format_html('<span class="text-muted">{}</span>', count)
    muted = " text-muted" if muted_zero and not count else ""
    return format_html(
        '<a class="count-link{}" data-status="{}" href="{}">{}</a>', muted, key, url, count
    )


@register.simple_tag
def status_cells(cells: Iterable[tuple[str, int, str, str]], muted_zero: bool = True) -> SafeString:
    """A status row's cells (``views_commune._linked``): each count linked to its task list,
    named by its column for the stacked table on a phone; a zero left out of that list."""
    return format_html_join(
        "",
        '<td class="text-end{}" data-label="{}">{}</td>',
        (
            (
                "" if count else " stack-skip",
                label,
                _count(key, count, url, muted_zero=muted_zero),
            )
            for key, count, url, label in cells
        ),
    )


@register.simple_tag
def criterion_cell(criterion: Criterion) -> SafeString:
    """A ranking criterion: part/whole (rate) → points, or "not arising" (full points)."""
    if criterion.measured:
        ratio = criterion.ratio
        shown = format_html("{}/{} ({})", ratio.part, ratio.whole, ratio.percent)
    else:
        shown = format_html(
            '<span class="text-muted" title="{}">{}</span>',
            _("Không phát sinh: tính điểm tối đa"),
            _("không phát sinh"),
        )
    return format_html(
        "{} → <strong>{}</strong>&nbsp;{}", shown, criterion.points_text, pgettext("điểm", "đ")
    )
