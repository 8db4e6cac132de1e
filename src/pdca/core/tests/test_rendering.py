"""The form renderer writes selects in Python: the very HTML the widget templates write
(escaping included), the templates kept for every other widget and for options with their
own template."""

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates

from pdca.core.rendering import FormRenderer


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


class Example(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "—"), ('x<"y', "A & <b>B</b>"), ("2", "Two")], initial='x<"y'
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Group & co", [("1", "one"), ("2", "two")]), ("3", "three")],
        initial=["1", "3"],
        required=False,
    )
    flagged = forms.ChoiceField(
        choices=[("1", "one")],
        widget=forms.Select(attrs={"data-picker": "off", "disabled": True, "hidden": False}),
    )
    radios = forms.ChoiceField(choices=[("1", "one")], widget=forms.RadioSelect)
    own = forms.ChoiceField(choices=[("1", "one")], widget=OwnOption)


def test_selects_are_written_as_the_templates_write_them():
    assert settings.FORM_RENDERER == "pdca.core.rendering.FormRenderer"
    for name in Example.base_fields:
        by_templates = Example(renderer=DjangoTemplates())[name].as_widget()
        by_python = Example(renderer=FormRenderer())[name].as_widget()
        assert by_python == by_templates, name
    html = Example(renderer=FormRenderer())["plain"].as_widget()
    assert 'value="x&lt;&quot;y" selected>A &amp; &lt;b&gt;B&lt;/b&gt;</option>' in html
