"""Reads of cases that depend on who asks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concerns.models import Case
from concerns.selectors import case_queue
from tests.concerns.conftest import decide, investigating_case, ready_to_decide, received_case

pytestmark = pytest.mark.django_db


def test_the_queue_puts_the_screening_queue_first_with_the_overdue_at_the_top(
    subject, registrars, registrar
):
    open_to_appeal = investigating_case(subject, registrars, risk="low", email="a@example.org")
    decide(ready_to_decide(open_to_appeal, registrars), registrars, "advice")
    new = received_case(subject, email="b@example.org")
    overdue = received_case(subject, email="c@example.org")
    Case.objects.filter(pk=overdue.pk).update(
        screening_due=timezone.localdate() - timedelta(days=1)
    )

    queue = list(case_queue(user=registrar))

    assert queue == [overdue, new, open_to_appeal]
    assert open_to_appeal.status == Case.Status.APPEAL_WINDOW
