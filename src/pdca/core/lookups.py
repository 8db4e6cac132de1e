"""`id__in=[…]` with a number past the column's range matches nothing, as `id=…` already does.

Django answers `filter(pk=99999999999999999999)` with no rows, but `filter(pk__in=[…])` hands
the number to the driver, and SQLite's raises OverflowError (a server error) on any form or API
field that takes a list of ids. Out-of-range values can match no row, so they are dropped here,
once for every integer column, and the caller sees an unknown id like any other."""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
