from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Invitation, Membership, Organisation, User
from accounts.services import organisations as services


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_care_worker", "is_registrar", "is_staff", "is_active"]
    list_filter = ["is_care_worker", "is_registrar", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["is_registrar", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "is_care_worker"]}),
        (
            "Access",
            {
                "fields": [
                    "is_active",
                    "is_registrar",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    actions = ["appoint_registrar"]

    @admin.action(description="Appoint as registrar")
    def appoint_registrar(self, request, queryset):
        for user in queryset:
            try:
                services.registrar_appoint(user=user, appointed_by=request.user)
            except services.ApplicationError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, f"{user.email} is now a registrar.")


class MembershipInline(admin.TabularInline):
    """Shown, not edited: a role change or a removal here would skip the services, and with
    them the last-owner rule, the audit event and the revocation of the member's API keys.
    Owners change roles on the organisation's page."""

    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "role", "joined_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token"]
