from rest_framework import serializers

from pdca.core.models import Department, Membership, Organization, Site, TrailEntry


class OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "require_two_factor"]


class SiteOutput(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "is_active"]


class DepartmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "site", "head", "is_active"]


class MembershipOutput(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "email",
            "full_name",
            "roles",
            "department",
            "manager",
            "expires_on",
            "is_active",
            "version",
        ]
        read_only_fields = ["user", "version"]


class MembershipUpdateInput(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField(), required=False)
    department = serializers.IntegerField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    access_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Why an external auditor's access is extended (required for an extension).",
    )
    version = serializers.IntegerField(help_text="The version you read; a stale one is refused.")


class TrailEntryOutput(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = TrailEntry
        fields = [
            "seq",
            "at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "reason",
            "ip",
            "request_id",
            "client_request_id",
            "prev_hash",
            "key_id",
            "hash",
        ]

    def get_object_type(self, entry: TrailEntry) -> str | None:
        ct = entry.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None
