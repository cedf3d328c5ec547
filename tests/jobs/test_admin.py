"""Registrars keep the table of pay floors in the admin, audited; vacancies there are read-only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from jobs.models import PayFloor, Vacancy
from jobs.pay import pay_floor_on
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def test_a_registrar_adds_next_aprils_rate_and_it_is_audited(registrar_client, registrar):
    response = registrar_client.post(
        reverse("admin:jobs_payfloor_add"),
        {
            "effective_from": "2027-04-01",
            "hourly_rate": "13.20",
            "name": "National Living Wage",
            "source": "Announced at the Budget",
        },
    )

    assert response.status_code == 302
    assert pay_floor_on(datetime.date(2027, 4, 1)) == Decimal("13.20")
    event = AuditEvent.objects.get(action="jobs.payfloor.added")
    assert event.actor_id == registrar.pk
    assert event.data["hourly_rate"] == "13.20"
    assert event.data["effective_from"] == "2027-04-01"


def test_a_registrar_corrects_a_rate_and_it_is_audited(registrar_client):
    floor = PayFloor.objects.get(effective_from=datetime.date(2026, 4, 1))

    registrar_client.post(
        reverse("admin:jobs_payfloor_change", args=[floor.pk]),
        {"effective_from": "2026-04-01", "hourly_rate": "12.72", "name": floor.name, "source": ""},
    )

    assert PayFloor.objects.get(pk=floor.pk).hourly_rate == Decimal("12.72")
    event = AuditEvent.objects.get(action="jobs.payfloor.changed")
    assert event.data["changed_fields"] == ["hourly_rate", "source"]


def test_a_pay_floor_cannot_be_deleted_nor_a_vacancy_changed_in_the_admin(registrar_client):
    floor = PayFloor.objects.first()
    vacancy = VacancyFactory()

    assert (
        registrar_client.get(reverse("admin:jobs_payfloor_delete", args=[floor.pk])).status_code
        == 403
    )
    assert registrar_client.post(
        reverse("admin:jobs_vacancy_change", args=[vacancy.pk]), {"title": "Changed"}
    ).status_code in (302, 403)
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Care assistant"
