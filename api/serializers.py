"""Serializers shared by several API views. A view's own input and output serializers are
nested in the view, as the HackSoft styleguide does."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from register.models import RegisterEntry


class PublicTextSerializer(serializers.Serializer):
    text = serializers.CharField()


@extend_schema_serializer(component_name="RegisterEntry")
class RegisterEntryPublicSerializer(serializers.Serializer):
    """What the public register shows about one entry: the keys of
    register.selectors.public.entry_public_representation, and nothing else."""

    registration_number = serializers.CharField()
    full_name = serializers.CharField()
    status = serializers.ChoiceField(choices=RegisterEntry.Status.choices)
    status_label = serializers.CharField()
    registered_from = serializers.DateField()
    renewal_due = serializers.DateField()
    role = serializers.CharField(
        allow_null=True, help_text="The Care Workforce Pathway role category."
    )
    suspended_until = serializers.DateField(
        allow_null=True, help_text="Set only while the entry is suspended."
    )
    suspension_kind = serializers.CharField(
        allow_null=True, help_text="Interim order or sanction; set only while suspended."
    )
    removal_kind = serializers.CharField(
        allow_null=True, help_text="Why the entry was removed; set only when removed."
    )
    conditions = PublicTextSerializer(many=True)
    annotations = PublicTextSerializer(many=True)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one error format of api/errors.py."""

    error = ErrorDetailSerializer()
