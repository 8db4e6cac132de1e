"""Response shapes shared by every app's endpoints."""

from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    """Every API error (`pdca.api.errors`): a message and the status, field errors apart."""

    detail = serializers.CharField()
    status = serializers.IntegerField()
    errors = serializers.DictField(required=False)  # type: ignore[assignment]


def pair_list(help_text: str) -> serializers.ListField:
    """A list of [label, count] pairs (a chart's bars)."""
    pair = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    return serializers.ListField(child=pair, help_text=help_text)
