"""Paid job trials: the employer's pages of an application's trial, the candidate's own, and
the trial pay an employer's owners still owe."""

from django.urls import path

from jobs.views import trials

urlpatterns = [
    # The employer's side: members of the vacancy's employer only (404 to anyone else).
    path("employer/job-applications/<str:reference>/trial/", trials.trial, name="trial"),
    path(
        "employer/job-applications/<str:reference>/trial/offer/",
        trials.trial_offer,
        name="trial-offer",
    ),
    path(
        "employer/job-applications/<str:reference>/trial/new-time/",
        trials.trial_retime,
        name="trial-retime",
    ),
    path(
        "employer/job-applications/<str:reference>/trial/cancel/",
        trials.trial_cancel,
        name="trial-cancel",
    ),
    path(
        "employer/job-applications/<str:reference>/trial/hours/",
        trials.trial_hours,
        name="trial-hours",
    ),
    path(
        "employer/job-applications/<str:reference>/trial/feedback/",
        trials.trial_feedback,
        name="trial-feedback",
    ),
    path(
        "employer/job-applications/<str:reference>/trial/outcome/",
        trials.trial_outcome,
        name="trial-outcome",
    ),
    # The employer's owners: trial pay still owed, overdue first.
    path(
        "employer/organisations/<int:organisation_pk>/trial-pay/",
        trials.trial_pay,
        name="trial-pay",
    ),
    # The candidate's side: their own application only.
    path("my-applications/<str:reference>/trial/", trials.my_trial, name="my-trial"),
    path(
        "my-applications/<str:reference>/trial/answer/",
        trials.my_trial_answer,
        name="my-trial-answer",
    ),
    path("my-applications/<str:reference>/trial/pay/", trials.my_trial_pay, name="my-trial-pay"),
    path(
        "my-applications/<str:reference>/trial/feedback/",
        trials.my_trial_feedback,
        name="my-trial-feedback",
    ),
]
