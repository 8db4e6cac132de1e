"""Pages of a long list without COUNT(*): at 200,000 rows counting costs more than the page.

`quick_page()` fetches one row more than it shows to know whether a next page exists. The
page object has the attributes the list templates use (number, has_next, …)."""

from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 25


@dataclass
class QuickPage:
    object_list: list[Any]
    number: int
    _more: bool

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Any:
        return iter(self.object_list)


def quick_page(queryset: Any, page: str | None, per_page: int = PAGE_SIZE) -> QuickPage:
    try:
        number = max(1, min(int(page or 1), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return QuickPage(rows[:per_page], number, len(rows) > per_page)
