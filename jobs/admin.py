from django.contrib import admin

from core.admin import ReadOnlyAdmin
from core.audit import audit_log
from jobs.models import JobTrial, PayFloor, TrialPay, Vacancy


@admin.register(PayFloor)
class PayFloorAdmin(admin.ModelAdmin):
    """Registrars add each April's National Living Wage before it starts; every vacancy
    published from that day on is checked against it. Each change is audited."""

    list_display = ["effective_from", "name", "hourly_rate", "source"]
    ordering = ["-effective_from"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            action="jobs.payfloor.changed" if change else "jobs.payfloor.added",
            actor=request.user,
            target=obj,
            data={
                "effective_from": obj.effective_from,
                "hourly_rate": obj.hourly_rate,
                "name": obj.name,
                "changed_fields": sorted(form.changed_data),
            },
        )

    def has_delete_permission(self, request, obj=None):
        # Vacancies were checked against it: a wrong rate is corrected, not made to vanish.
        return False


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    """Read-only: vacancies change only through jobs/services, which check and audit them."""

    list_display = ["reference", "title", "organisation", "status", "closing_date"]
    list_filter = ["status", "setting", "contract"]
    search_fields = ["reference", "title", "organisation__name"]


@admin.register(JobTrial)
class JobTrialAdmin(ReadOnlyAdmin):
    """Read-only: a trial and its pay are written only by jobs/services/trials.py, which refuses
    an unpaid or underpaid trial; the admin can neither add one nor change its pay."""

    list_display = ["pk", "application", "kind", "status", "starts_at", "hourly_rate"]
    list_filter = ["status", "kind"]
    search_fields = ["application__reference"]
    # Personal data the admin has no need to show: the checks' evidence and people's words.
    exclude = ["register_summary", "employer_check_evidence", "proposed_time", "cancel_reason"]


@admin.register(TrialPay)
class TrialPayAdmin(ReadOnlyAdmin):
    """Read-only, as trials are: pay is made only by recording hours or a late cancellation."""

    list_display = ["trial", "reason", "amount", "due_on", "paid_confirmed_at"]
    list_filter = ["reason"]
