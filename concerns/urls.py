from django.urls import path

from concerns.views import public, registrar, report, worker

app_name = "concerns"

urlpatterns = [
    # Raising a concern: anyone, no account needed (views/public.py).
    path("concerns/", public.start, name="start"),
    path("concerns/raise/", public.raise_concern, name="raise"),
    path("concerns/check-your-email/", public.check_email, name="check-email"),
    path("concerns/confirm/<str:token>/", public.confirm, name="confirm"),
    path("concerns/received/", public.received, name="received"),
    path(
        "organisations/<int:organisation_pk>/staff/<int:entry_pk>/concern/",
        public.employer_raise,
        name="employer-raise",
    ),
    #
    # How concerns are decided (docs/concerns.md) and the yearly report (views/report.py).
    path("concerns/how-concerns-are-decided/", report.how, name="how"),
    path("concerns/report/", report.report_latest, name="report-latest"),
    path("concerns/report/<int:year>/", report.report, name="report"),
    path("concerns/report/<int:year>/pdf/", report.report_pdf, name="report-pdf"),
    #
    # Registrars (views/registrar.py).
    path("registrar/concerns/", registrar.queue, name="queue"),
    path("registrar/concerns/<str:reference>/", registrar.case, name="case"),
    path("registrar/concerns/<str:reference>/screen/", registrar.screen, name="screen"),
    path("registrar/concerns/<str:reference>/interim/", registrar.interim, name="interim"),
    path(
        "registrar/concerns/<str:reference>/interim/<int:pk>/review/",
        registrar.interim_review,
        name="interim-review",
    ),
    path("registrar/concerns/<str:reference>/join/", registrar.join, name="join"),
    path("registrar/concerns/<str:reference>/propose/", registrar.propose, name="propose"),
    path(
        "registrar/concerns/<str:reference>/decisions/<int:pk>/",
        registrar.second_opinion,
        name="second-opinion",
    ),
    path(
        "registrar/concerns/<str:reference>/documents/add/",
        registrar.document_add,
        name="document-add",
    ),
    path(
        "registrar/concerns/<str:reference>/documents/<int:pk>/share/",
        registrar.document_share,
        name="document-share",
    ),
    #
    # The worker the concern is about (views/worker.py).
    path("my-registration/concerns/", worker.cases, name="worker-cases"),
    path("my-registration/concerns/<str:reference>/", worker.case, name="worker-case"),
    path(
        "my-registration/concerns/<str:reference>/respond/", worker.respond, name="worker-respond"
    ),
    path(
        "my-registration/concerns/<str:reference>/interim/<int:pk>/respond/",
        worker.interim_respond,
        name="worker-interim-respond",
    ),
    path("my-registration/concerns/<str:reference>/appeal/", worker.appeal, name="worker-appeal"),
    #
    # A case's documents, for its registrars and, when shared, its worker.
    path("concerns/<str:reference>/documents/<int:pk>/", worker.document, name="document"),
]
