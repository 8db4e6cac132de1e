"""Aggregates that Django has for one database only, written for both of pdca's."""

from typing import Any

from django.db.models import Aggregate, CharField


class ListOf(Aggregate):
    """A group's values as one comma-separated string, in no particular order: SQLite's
    GROUP_CONCAT, PostgreSQL's STRING_AGG. Saves reading a group's members in a second query."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra,
        )


def split_list(value: str | None) -> list[str]:
    return value.split(",") if value else []
