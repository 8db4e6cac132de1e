"""Icons: Lucide's SVG files (static/vendor/lucide-<version>/, ISC licence) inlined into the page,
so that they take the text colour and need no request of their own (nor a CSP exception)."""

import functools
import re
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ICON_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "lucide-1.62.0"
_NAME = re.compile(r"^[a-z0-9-]+$")

# The icon of each module's cards and of the entries without one of their own.
MODULE_ICONS = {
    "core": "users",
    "standards": "shield-check",
    "documents": "file-text",
    "records": "archive",
    "audits": "clipboard-check",
    "improvement": "triangle-alert",
    "reviews": "user-check",
}


@functools.cache
def _svg(name: str) -> str:
    if not _NAME.match(name):
        return ""
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S).strip()
    text = re.sub(r"\s+", " ", text)
    # Decorative by default: the text beside the icon says what it means.
    return text.replace(
        f'class="lucide lucide-{name}"',
        f'class="icon icon-{name}" aria-hidden="true" focusable="false"',
        1,
    )


def icon(name: str, label: str = "") -> SafeString:
    """The icon's inline SVG (empty for an unknown name); with `label`, read out by screen
    readers instead of hidden from them."""
    svg = _svg(name)
    if svg and label:
        svg = svg.replace(
            'aria-hidden="true" focusable="false"',
            f'role="img" aria-label="{escape(label)}" focusable="false"',
            1,
        )
    return mark_safe(svg)
