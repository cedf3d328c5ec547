"""Every URL pattern in the URLconf, found with get_resolver, with its path parameters filled
from the test world. A pattern nobody has classified is reported, never skipped."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

PERSONAS = [
    "anonymous",
    "worker",
    "other_worker",
    "employer",
    "employer_member",
    "provider",
    "association_admin",
    "registrar_without_mfa",
    "registrar",
    "outsider",
]


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, e.g. "admin:accounts_user_change"
    pattern: str  # the full pattern, for messages
    parameters: tuple[str, ...]


def _parameters(pattern) -> tuple[str, ...]:
    text = str(pattern)
    return tuple(re.findall(r"<(?:\w+:)?(\w+)>", text)) + tuple(re.findall(r"\(\?P<(\w+)>", text))


def all_routes() -> list[Route]:
    routes = []

    def walk(resolver, prefix, namespace, inherited):
        for entry in resolver.url_patterns:
            params = inherited + _parameters(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns, params)
            elif isinstance(entry, URLPattern):
                name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
                full = f"{namespace}:{name}" if namespace else name
                routes.append(Route(full, prefix + str(entry.pattern), params))

    walk(get_resolver(), "", "", ())
    return routes


def _admin_model(route: Route):
    """admin:app_model_action -> the model class, or None."""
    short = route.name.split(":", 1)[1]
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short.startswith(prefix):
            return model
    return None


def url_for(route: Route, world) -> str:
    """The URL of `route` with every parameter filled from a real object in `world`."""
    o = world.objects
    if not route.parameters:
        return reverse(route.name)
    if route.name.startswith("admin:"):
        if route.name == "admin:app_list":
            return reverse(route.name, kwargs={"app_label": "core"})
        if route.name == "admin:view_on_site":
            from django.contrib.contenttypes.models import ContentType

            from accounts.models import Organisation

            content_type = ContentType.objects.get_for_model(Organisation)
            return reverse(
                route.name,
                kwargs={"content_type_id": content_type.pk, "object_id": o["employer_org"].pk},
            )
        model = _admin_model(route)
        instance = model._default_manager.order_by("pk").first() if model else None
        if instance is None:
            return "/admin/" + route.pattern.split("/", 1)[1].replace("<path:object_id>", "1")
        kwargs = {"object_id": instance.pk}
        if "id" in route.parameters:  # the user admin's password form
            kwargs = {"id": instance.pk}
        return reverse(route.name, kwargs=kwargs)
    return reverse(route.name, kwargs=FILLERS[route.name](o))


entry_number = lambda o: {"registration_number": o["entry"].registration_number}  # noqa: E731
employer_vacancy = lambda o: {  # noqa: E731
    "organisation_pk": o["employer_org"].pk,
    "reference": o["vacancy"].reference,
}
# The yearly report on concerns: this year's always exists, so far.
this_year = lambda o: {"year": timezone.localdate().year}  # noqa: E731

FILLERS = {
    "account_confirm_email": lambda o: {"key": "not-a-real-key"},
    "account_reset_password_from_key": lambda o: {"uidb36": "1", "key": "not-a-real-key"},
    "accounts:organisation-detail": lambda o: {"pk": o["employer_org"].pk},
    "accounts:organisation-invitation-revoke": lambda o: {"pk": o["invitation"].pk},
    "accounts:organisation-membership-remove": lambda o: {"pk": o["membership"].pk},
    "accounts:organisation-membership-role": lambda o: {"pk": o["membership"].pk},
    "accounts:organisation-invitation-accept": lambda o: {"token": o["invitation"].token},
    "accounts:registrar-invitation": lambda o: {"token": o["registrar_invitation_token"]},
    "register:registrar-application": lambda o: {"pk": o["application"].pk},
    "register:registrar-entry": entry_number,
    "register:registrar-name-change-decide": lambda o: {"pk": o["name_change"].pk},
    "register:apply-step": lambda o: {"step": "about-you"},
    "register:reference-answer": lambda o: {"token": o["reference_token"]},
    "register:registrar-reference-send": lambda o: {"pk": o["application"].pk, "position": 1},
    "register:registrar-reference-decide": lambda o: {"pk": o["application"].pk, "position": 1},
    "register:evidence-download": lambda o: {"pk": o["evidence"].pk},
    "register:public-entry": entry_number,
    "register:code-of-conduct-version": lambda o: {"version": o["code_of_conduct"].version},
    "register:renewals-decide": lambda o: {"pk": o["renewal"].pk},
    "register:renewals-cpd-edit": lambda o: {"pk": o["cpd"].pk},
    "register:renewals-cpd-delete": lambda o: {"pk": o["cpd"].pk},
    "concerns:confirm": lambda o: {"token": o["concern_token"]},
    "concerns:employer-raise": lambda o: {
        "organisation_pk": o["employer_org"].pk,
        "entry_pk": o["entry"].pk,
    },
    "employers:share-code-revoke": lambda o: {"pk": o["share_code"].pk},
    "employers:check": lambda o: {"org_id": o["employer_org"].pk},
    "employers:staff": lambda o: {"org_id": o["employer_org"].pk},
    "employers:staff-csv": lambda o: {"org_id": o["employer_org"].pk},
    "employers:staff-add": lambda o: {"org_id": o["employer_org"].pk},
    "employers:staff-remove": lambda o: {
        "org_id": o["employer_org"].pk,
        "pk": o["staff_membership"].pk,
    },
    "employers:staff-leave": lambda o: {"pk": o["staff_membership"].pk},
    "employers:registrar-employer-verify": lambda o: {"pk": o["employer_org"].pk},
    "employers:webhook": lambda o: {"org_id": o["employer_org"].pk},
    "employers:api-keys": lambda o: {"org_id": o["employer_org"].pk},
    "employers:api-key-revoke": lambda o: {"pk": o["api_key"].pk},
    "passports:provider-records": lambda o: {"org_id": o["provider_org"].pk},
    "passports:provider-record-new": lambda o: {"org_id": o["provider_org"].pk},
    "passports:provider-template": lambda o: {"org_id": o["provider_org"].pk},
    "passports:provider-import": lambda o: {"org_id": o["provider_org"].pk},
    "passports:provider-approval-request": lambda o: {"org_id": o["provider_org"].pk},
    "passports:provider-import-preview": lambda o: {
        "org_id": o["provider_org"].pk,
        "batch_id": o["batch"].pk,
    },
    "passports:provider-import-commit": lambda o: {
        "org_id": o["provider_org"].pk,
        "batch_id": o["batch"].pk,
    },
    "passports:provider-record-revoke": lambda o: {
        "org_id": o["provider_org"].pk,
        "record_id": o["record"].pk,
    },
    "passports:registrar-decide": lambda o: {"record_id": o["worker_record"].pk},
    "passports:registrar-provider-approve": lambda o: {"org_id": o["provider_org"].pk},
    "passports:registrar-provider-withdraw": lambda o: {"org_id": o["provider_org"].pk},
    "passports:verify-link": lambda o: {"public_id": o["passport"].public_id},
    "passports:verify-badge-link": lambda o: {"public_id": o["badge"].public_id},
    "passports:status-list": lambda o: {"purpose": "revocation"},
    "passports:registrar-passport": lambda o: {"public_id": o["passport"].public_id},
    "passports:download-pdf": lambda o: {"public_id": o["passport"].public_id},
    "passports:download-token": lambda o: {"public_id": o["passport"].public_id},
    "passports:record-badge": lambda o: {"pk": o["worker_record"].pk},
    "concerns:case": lambda o: {"reference": o["concern_received"].reference},
    "concerns:screen": lambda o: {"reference": o["concern_received"].reference},
    "concerns:interim": lambda o: {"reference": o["concern_panel"].reference},
    "concerns:interim-review": lambda o: {
        "reference": o["concern_review"].reference,
        "pk": o["concern_interim_order"].pk,
    },
    "concerns:join": lambda o: {"reference": o["concern_panel"].reference},
    "concerns:propose": lambda o: {"reference": o["concern_panel"].reference},
    "concerns:second-opinion": lambda o: {
        "reference": o["concern_proposed"].reference,
        "pk": o["concern_proposal"].pk,
    },
    "concerns:document-add": lambda o: {"reference": o["concern_received"].reference},
    "concerns:document-share": lambda o: {
        "reference": o["concern_received"].reference,
        "pk": o["concern_received"].documents.first().pk,
    },
    "consultations:manage": lambda o: {"pk": o["draft_consultation"].pk},
    "consultations:edit": lambda o: {"pk": o["draft_consultation"].pk},
    "consultations:page-add": lambda o: {"pk": o["draft_consultation"].pk},
    "consultations:page-delete": lambda o: {"pk": o["draft_page"].pk},
    "consultations:question-add": lambda o: {"pk": o["draft_page"].pk},
    "consultations:question-delete": lambda o: {"pk": o["draft_question"].pk},
    "consultations:schedule": lambda o: {"pk": o["draft_consultation"].pk},
    "consultations:unschedule": lambda o: {"pk": o["consultation"].pk},
    "consultations:start-analysis": lambda o: {"pk": o["consultation"].pk},
    "consultations:close-early": lambda o: {"pk": o["consultation"].pk},
    "consultations:connection-limit": lambda o: {"pk": o["consultation"].pk},
    "consultations:live": lambda o: {"pk": o["consultation"].pk},
    "consultations:flagged-counting": lambda o: {"pk": o["analysed"].pk},
    "consultations:publish-confirm": lambda o: {"pk": o["analysed"].pk},
    "consultations:detail": lambda o: {"slug": o["consultation"].slug},
    "consultations:page": lambda o: {"slug": o["consultation"].slug, "number": 1},
    "consultations:check": lambda o: {"slug": o["consultation"].slug},
    "consultations:done": lambda o: {"slug": o["consultation"].slug},
    "consultations:save": lambda o: {"slug": o["consultation"].slug},
    "consultations:resume": lambda o: {
        "slug": o["consultation"].slug,
        "token": o["resume_token"],
    },
    "consultations:analysis": lambda o: {"pk": o["analysed"].pk},
    "consultations:analysis-answers": lambda o: {"pk": o["analysed"].pk},
    "consultations:theme-create": lambda o: {"pk": o["analysed"].pk},
    "consultations:answers-tag-matching": lambda o: {"pk": o["analysed"].pk},
    "consultations:theme-rename": lambda o: {"pk": o["theme"].pk},
    "consultations:theme-delete": lambda o: {"pk": o["theme"].pk},
    "consultations:answer-tag": lambda o: {"pk": o["text_answer"].pk},
    "consultations:answer-untag": lambda o: {"pk": o["text_answer"].pk},
    "consultations:responses-csv": lambda o: {"pk": o["analysed"].pk},
    "consultations:report-pdf": lambda o: {"pk": o["analysed"].pk},
    "consultations:publish": lambda o: {"pk": o["analysed"].pk},
    "consultations:outcome": lambda o: {"slug": o["analysed"].slug},
    "consultations:outcome-pdf": lambda o: {"slug": o["analysed"].slug},
    "api:consultation-detail": lambda o: {"slug": o["consultation"].slug},
    "api:consultation-responses": lambda o: {"slug": o["consultation"].slug},
    "api:consultation-results": lambda o: {"slug": o["analysed"].slug},
    "api:register-entry": entry_number,
    "api:staff-member": entry_number,
    "api:training-record-revoke": lambda o: {"record_id": o["record"].pk},
    "api:fhir-practitioner": entry_number,
    # Finding a job (issue 20, search).
    "api:vacancy": lambda o: {"reference": o["vacancy"].reference},
    "api:vacancy-publish": lambda o: {"reference": o["vacancy"].reference},
    "concerns:worker-case": lambda o: {"reference": o["case"].reference},
    "concerns:worker-respond": lambda o: {"reference": o["case"].reference},
    # POST-only: a GET is refused before any suspension is looked up, and the world has none
    # (an interim suspension would change what Wendy sees everywhere else).
    "concerns:worker-interim-respond": lambda o: {"reference": o["case"].reference, "pk": 1},
    "concerns:worker-appeal": lambda o: {"reference": o["case"].reference},
    "concerns:document": lambda o: {
        "reference": o["case"].reference,
        "pk": o["case_document"].pk,
    },
    "concerns:report": this_year,
    "concerns:report-pdf": this_year,
    # Jobs, vacancies (issue 20): the employer's published vacancy.
    "jobs:vacancy": lambda o: {"reference": o["vacancy"].reference},
    "jobs:employer-vacancies": lambda o: {"organisation_pk": o["employer_org"].pk},
    "jobs:vacancy-new": lambda o: {"organisation_pk": o["employer_org"].pk},
    "jobs:vacancy-edit": employer_vacancy,
    "jobs:vacancy-questions": employer_vacancy,
    "jobs:vacancy-publish": employer_vacancy,
    "jobs:vacancy-filled": employer_vacancy,
    "jobs:vacancy-withdraw": employer_vacancy,
    # Pre-employment checks: Wendy's application at the offer stage.
    "jobs:checks": lambda o: {"reference": o["checks_application"].reference},
    "jobs:checks-pdf": lambda o: {"reference": o["checks_application"].reference},
    "jobs:check-record": lambda o: {
        "reference": o["checks_application"].reference,
        "item": "health",
    },
    "jobs:checks-hire": lambda o: {"reference": o["checks_application"].reference},
    "jobs:my-checks": lambda o: {"reference": o["checks_application"].reference},
    # Jobs, the employer's pipeline and interviews (issue 20, part 6).
    "jobs:pipeline": lambda o: {"reference": o["vacancy"].reference},
    "jobs:pipeline-csv": lambda o: {"reference": o["vacancy"].reference},
    "jobs:pipeline-not-progress": lambda o: {"reference": o["vacancy"].reference},
    "jobs:pipeline-applicant": lambda o: {
        "reference": o["vacancy"].reference,
        "application": o["job_application"].reference,
    },
    "jobs:pipeline-move": lambda o: {
        "reference": o["vacancy"].reference,
        "application": o["job_application"].reference,
    },
    "jobs:interview-slots": lambda o: {"reference": o["vacancy"].reference},
    "jobs:interview-slot-remove": lambda o: {
        "reference": o["vacancy"].reference,
        "pk": o["interview_slot"].pk,
    },
    "jobs:interview-book": lambda o: {"reference": o["job_application"].reference},
    "jobs:interview-cancel": lambda o: {"reference": o["job_application"].reference},
    # --- Applying for a job: the employer's published vacancy, and Wendy's application ---
    "jobs:apply": lambda o: {"reference": o["vacancy"].reference},
    "jobs:apply-questions": lambda o: {"reference": o["vacancy"].reference},
    "jobs:apply-check": lambda o: {"reference": o["vacancy"].reference},
    "jobs:my-application": lambda o: {"reference": o["job_application"].reference},
    "jobs:my-application-withdraw": lambda o: {"reference": o["job_application"].reference},
    "jobs:my-application-stop-sharing": lambda o: {"reference": o["job_application"].reference},
    # Jobs: questions and alerts (issue 20).
    "jobs:question-ask": lambda o: {"reference": o["vacancy"].reference},
    "jobs:question-thread": lambda o: {"pk": o["question_thread"].pk},
    "jobs:question-reply": lambda o: {"pk": o["question_thread"].pk},
    "jobs:question-close": lambda o: {"pk": o["question_thread"].pk},
    "jobs:question-inbox": lambda o: {"org_id": o["employer_org"].pk},
    "jobs:alert-confirm": lambda o: {"token": o["job_alert_confirm_token"]},
    "jobs:alert-unsubscribe": lambda o: {"token": o["job_alert_unsubscribe_token"]},
    "jobs:alert-stop": lambda o: {"pk": o["job_alert"].pk},
    # --- Careers, stories from care (issue 21, part 3): three stories about Wendy ---
    "careers:story": lambda o: {"reference": o["story_published"].reference},
    "careers:story-photo": lambda o: {"reference": o["story_published"].reference},
    "careers:story-review": lambda o: {"reference": o["story_awaiting_approval"].reference},
    "careers:story-approve": lambda o: {"reference": o["story_awaiting_approval"].reference},
    "careers:story-decline": lambda o: {"reference": o["story_awaiting_approval"].reference},
    "careers:my-story": lambda o: {"reference": o["story_awaiting_consent"].reference},
    "careers:my-story-consent": lambda o: {"reference": o["story_awaiting_consent"].reference},
    "careers:my-story-refuse": lambda o: {"reference": o["story_awaiting_consent"].reference},
    "careers:my-story-withdraw": lambda o: {"reference": o["story_published"].reference},
    "careers:employer-stories": lambda o: {"org_id": o["employer_org"].pk},
    "careers:story-nominate": lambda o: {"org_id": o["employer_org"].pk},
    # --- Paid job trials (issue 21, part 1): Wendy's application with an observation session ---
    **{
        name: lambda o: {"reference": o["trial_application"].reference}
        for name in (
            "jobs:trial",
            "jobs:trial-offer",
            "jobs:trial-retime",
            "jobs:trial-cancel",
            "jobs:trial-hours",
            "jobs:trial-feedback",
            "jobs:trial-outcome",
            "jobs:my-trial",
            "jobs:my-trial-answer",
            "jobs:my-trial-pay",
            "jobs:my-trial-feedback",
        )
    },
    "jobs:trial-pay": lambda o: {"organisation_pk": o["employer_org"].pk},
    # --- Careers, the quizzes (issue 21, part 2): the published quiz, its draft version 2,
    # Wendy's saved result and her share of it with her job application ---
    "careers:quiz-start": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-question": lambda o: {"slug": o["quiz"].slug, "number": 1},
    "careers:quiz-reflection": lambda o: {"slug": o["quiz"].slug, "number": 1},
    "careers:quiz-result": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-restart": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-save": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-saved": lambda o: {"pk": o["quiz_result"].pk},
    "careers:quiz-saved-delete": lambda o: {"pk": o["quiz_result"].pk},
    "careers:quiz-share": lambda o: {"pk": o["quiz_result"].pk},
    "careers:quiz-share-stop": lambda o: {"pk": o["quiz_share"].pk},
    "careers:quiz-versions": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-draft-start": lambda o: {"slug": o["quiz"].slug},
    "careers:quiz-version": lambda o: {"slug": o["quiz"].slug, "number": o["quiz_draft"].number},
    "careers:quiz-publish": lambda o: {"slug": o["quiz"].slug, "number": o["quiz_draft"].number},
    "careers:quiz-figures": lambda o: {"slug": o["quiz"].slug},
    # --- Careers, campaigns (issue 21, part 4): the association's published Good Care Month ---
    "careers:campaign-link": lambda o: {"code": o["campaign"].code},
    "careers:campaign-vacancy-link": lambda o: {
        "code": o["campaign"].code,
        "vacancy_reference": o["vacancy"].reference,
    },
    "careers:campaign": lambda o: {"code": o["campaign"].code},
    "careers:event": lambda o: {"reference": o["campaign_event"].reference},
    "careers:event-book": lambda o: {"reference": o["campaign_event"].reference},
    "careers:event-booking-cancel": lambda o: {"reference": o["campaign_event"].reference},
    "careers:event-cancel": lambda o: {"reference": o["campaign_event"].reference},
    "careers:association-campaigns": lambda o: {"org_id": o["association"].pk},
    "careers:campaign-new": lambda o: {"org_id": o["association"].pk},
    "careers:campaign-manage": lambda o: {"reference": o["campaign"].reference},
    "careers:campaign-publish": lambda o: {"reference": o["campaign_draft"].reference},
    "careers:campaign-end": lambda o: {"reference": o["campaign"].reference},
    "careers:campaign-funnel": lambda o: {"reference": o["campaign"].reference},
    "careers:campaign-funnel-csv": lambda o: {"reference": o["campaign"].reference},
    "careers:employer-campaigns": lambda o: {"org_id": o["employer_org"].pk},
    "careers:employer-campaign": lambda o: {
        "org_id": o["employer_org"].pk,
        "code": o["campaign"].code,
    },
    "careers:employer-campaign-join": lambda o: {
        "org_id": o["employer_org"].pk,
        "code": o["campaign"].code,
    },
    "careers:event-new": lambda o: {"org_id": o["employer_org"].pk, "code": o["campaign"].code},
    "careers:campaign-poster": lambda o: {
        "org_id": o["employer_org"].pk,
        "code": o["campaign"].code,
    },
    "careers:campaign-share-image": lambda o: {
        "org_id": o["employer_org"].pk,
        "code": o["campaign"].code,
    },
}
