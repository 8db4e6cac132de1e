import pytest
from django.core.exceptions import ValidationError

from pdca.core.validators import check_single_line, single_line


@pytest.mark.parametrize(
    "value", ["a\nb", "a\tb", "a\rb", "a\x00b", "a\x7fb", "a\x85b", "a\u2028b"]
)
def test_single_line_refuses_control_characters(value):
    with pytest.raises(ValidationError, match="U\\+"):
        single_line(value)


def test_single_line_accepts_any_printable_text():
    single_line("Messung ≠ Schätzung – Ω, 品質, =1+1, émoji 🙂, right-to-left עברית")
    single_line("")


def test_check_single_line_names_each_field():
    with pytest.raises(ValidationError) as refusal:
        check_single_line(title="ok", number="x\x07", reference="y\x1b")
    assert set(refusal.value.message_dict) == {"number", "reference"}
