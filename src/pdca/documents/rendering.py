"""Turning revision text into safe HTML, and two revisions into a side-by-side difference."""

import difflib

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "fenced_code"])
    return mark_safe(nh3.clean(html))


def side_by_side(old: str, new: str, old_label: str, new_label: str) -> SafeString:
    # HtmlDiff escapes both texts itself.
    table = difflib.HtmlDiff(wrapcolumn=60).make_table(
        (old or "").splitlines(),
        (new or "").splitlines(),
        fromdesc=old_label,
        todesc=new_label,
        context=True,
        numlines=3,
    )
    return mark_safe(table)
