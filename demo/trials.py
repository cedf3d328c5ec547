"""Demo paid job trials for `manage.py seed_demo` (issue 21, part 1), made through the trial
services as the employer and the candidate would:

- Tom, who is not on the register (so no barred-list check anywhere), applies to Sunrise Care
  Homes' care assistant post at Heaton Lodge, Bradford, and is offered an observation session
  in five days' time: he can accept, decline or ask for another time.
- Rosa applies to Brightpath Home Care's supported living post in Wakefield. The register has
  no checks of hers to share, so Brightpath records its own right-to-work and DBS Adult First
  checks and offers a supervised working trial. She accepts, works it (the trial is dated
  eight days ago, as if it happened then), Brightpath records the hours, and she confirms the
  hours and the payment. Both give private feedback naming the Care Workforce Pathway's values,
  and Rosa replies to Brightpath's; the outcome is left for Brightpath to give.

Each trial is seeded whole or not at all, once: an application that already has a trial is
left as it is."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo.jobs import _NIGHTS, BRIGHTPATH, ROSA, SUNRISE, TOM, _answers, _demo_vacancy
from jobs.models import JobTrial
from jobs.services import trials
from jobs.services.applying import ApplicationAnswers, application_submit
from jobs.services.trials import EmployerCheck, TrialOffer

# How long ago Rosa's trial was worked: within the month its pay may fall due in.
WORKED_DAYS_AGO = 8


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _applied(email: str, vacancy, answers: ApplicationAnswers):
    return application_submit(
        vacancy=vacancy, applicant=User.objects.get(email=email), answers=answers
    ).application


def _seed_offered(boss: User) -> bool:
    """Tom's observation session, offered and waiting for his answer."""
    vacancy = _demo_vacancy(SUNRISE, "Care assistant", "Heaton Lodge")
    with transaction.atomic():
        application = _applied(
            TOM,
            vacancy,
            _answers(
                vacancy,
                "I looked after my grandad for two years. Heaton Lodge is a short walk from home.",
                "Weekdays and weekends, from now.",
                {},
            ),
        )
        if application.trials.exists():
            return False
        trials.trial_offer(
            application=application,
            actor=boss,
            offer=TrialOffer(
                kind=JobTrial.Kind.OBSERVATION,
                starts_at=_at(timezone.localdate() + timedelta(days=5), 10),
                length_hours=Decimal("3"),
                induction_minutes=30,
                hourly_rate=Decimal("13.10"),
                cancellation_pay_hours=Decimal("2"),
                place="Heaton Lodge, 3 Toller Lane, Bradford BD9 4LR",
                supervisor_name="Grace Okafor, senior care assistant",
                what_you_will_do=(
                    "Spend the morning with the day team: meet the residents who would like "
                    "to meet you, join the activities and lunch, and ask us anything. No "
                    "personal care."
                ),
                what_to_bring="Comfortable flat shoes. Lunch is on us.",
                getting_there="The 680 bus stops outside; there is no staff parking.",
            ),
        )
    return True


def _seed_worked(boss: User) -> bool:
    """Rosa's supervised working trial, worked, paid and confirmed, with feedback both ways."""
    vacancy = _demo_vacancy(BRIGHTPATH, "Support worker, supported living", "Brightpath Wakefield")
    rosa = User.objects.get(email=ROSA)
    today = timezone.localdate()
    with transaction.atomic():
        application = _applied(
            ROSA,
            vacancy,
            _answers(
                vacancy,
                "After eleven years of home care visits I would like to support the same people "
                "every week, and help them do more for themselves.",
                "Weekdays and sleep-in nights, with four weeks' notice to give.",
                {_NIGHTS: True},
            ),
        )
        if application.trials.exists():
            return False
        trial = trials.trial_offer(
            application=application,
            actor=boss,
            offer=TrialOffer(
                kind=JobTrial.Kind.SUPERVISED,
                starts_at=_at(today + timedelta(days=1), 9),
                length_hours=Decimal("6"),
                induction_minutes=45,
                hourly_rate=Decimal("13.00"),
                cancellation_pay_hours=Decimal("3"),
                place="Brightpath Wakefield, 22 Westgate, Wakefield WF1 2SR",
                supervisor_name="Marcus Hill, team leader",
                what_you_will_do=(
                    "Support Dan and Priya through their morning: breakfast, getting ready for "
                    "college and the shopping, with Marcus beside you the whole time."
                ),
                what_to_bring="Your DBS certificate and comfortable shoes.",
                getting_there="Pay-and-display parking on Westgate; Wakefield bus station is "
                "five minutes' walk.",
                employer_check=EmployerCheck(
                    right_to_work_checked_on=today - timedelta(days=WORKED_DAYS_AGO + 4),
                    barred_list_check=JobTrial.BarredListCheck.ADULT_FIRST,
                    barred_list_checked_on=today - timedelta(days=WORKED_DAYS_AGO + 2),
                    checked_by_name="Hana Home-Care",
                    evidence="Share code result seen online: British citizen. DBS Adult First "
                    "result: no match.",
                ),
            ),
        )
        trials.trial_answer(trial=trial, user=rosa, answer="accept")
        # As if offered and accepted two weeks ago, and worked eight days ago: the services
        # record hours only once a trial has started, and the demo is seeded in one go.
        worked_on = today - timedelta(days=WORKED_DAYS_AGO)
        JobTrial.objects.filter(pk=trial.pk).update(
            starts_at=_at(worked_on, 9),
            offered_at=timezone.now() - timedelta(days=WORKED_DAYS_AGO + 6),
            status_changed_at=timezone.now() - timedelta(days=WORKED_DAYS_AGO + 5),
        )
        # Pay falls due two weeks after the trial; Rosa has been paid already.
        trials.trial_hours_record(trial=trial, actor=boss, hours=Decimal("6"))
        trials.trial_pay_confirm_hours(trial=trial, user=rosa)
        trials.trial_pay_confirm_paid(trial=trial, user=rosa)
        from_brightpath = trials.trial_feedback_give(
            trial=trial,
            user=boss,
            from_employer=True,
            values=["kind", "whole-person", "respect"],
            text=(
                "Priya told Marcus afterwards that you were the first new person who asked her "
                "what she wanted for breakfast, not what she usually had. You let Dan take his "
                "time with the shopping list, even when we were running late."
            ),
        )
        trials.trial_feedback_reply(
            feedback=from_brightpath,
            user=rosa,
            text="Thank you. I enjoyed the morning, and I would love to hear how Dan's course "
            "goes.",
        )
        trials.trial_feedback_give(
            trial=trial,
            user=rosa,
            from_employer=False,
            values=["learning", "honest"],
            text=(
                "Marcus explained why each support plan is written the way it is, and was "
                "honest that the rota changes at short notice. I felt welcome from the start."
            ),
        )
    return True


def seed_demo_trials() -> int:
    """The demo's paid trials: Tom's offered and Rosa's worked and paid. How many were added."""
    added = _seed_offered(User.objects.get(email="employer@example.com"))
    added += _seed_worked(User.objects.get(email="homecare@example.com"))
    return added
