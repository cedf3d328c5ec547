from django.contrib import admin

from core.admin import ReadOnlyAdmin
from passports.models import Passport, ProviderApproval, SigningKey, TrainingStandard


@admin.register(TrainingStandard)
class TrainingStandardAdmin(admin.ModelAdmin):
    """Registrars keep the catalogue: titles, who may award, refresher periods, requirements."""

    list_display = [
        "code",
        "title",
        "category",
        "awarded_by",
        "refresher_months",
        "refresher_is_default",
        "is_active",
    ]
    list_filter = ["category", "awarded_by", "is_active"]
    search_fields = ["code", "title"]
    filter_horizontal = ["required_for"]

    def has_delete_permission(self, request, obj=None):
        # Records point at standards; retire one with "is active" instead.
        return False


@admin.register(ProviderApproval)
class ProviderApprovalAdmin(ReadOnlyAdmin):
    """Read-only: registrars approve and withdraw on the training providers page, which writes
    the audit events (passports.provider.approved, passports.provider.withdrawn)."""

    list_display = ["organisation", "approved_by", "approved_at", "withdrawn_at", "withdrawn_by"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """Read-only: keys change only through `manage.py signing_key`, which audits it."""

    list_display = ["kid", "status", "created_at", "retired_at", "revoked_at"]
    exclude = ["private_key"]


@admin.register(Passport)
class PassportAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "entry", "issued_at", "status", "reason_code"]
    list_filter = ["status"]
    search_fields = ["public_id", "entry__registration_number"]
    exclude = ["token"]
