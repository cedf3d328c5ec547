"""What jobs does when the apps below it announce a change (signals, not imports, so that
employers never depends on jobs)."""

from django.dispatch import receiver

from employers.signals import employer_verification_withdrawn
from jobs.services.vacancies import vacancies_withdraw_for_unverified_employer


@receiver(employer_verification_withdrawn)
def _withdraw_the_vacancies_of_an_unverified_employer(sender, organisation, by, **kwargs):
    return vacancies_withdraw_for_unverified_employer(organisation=organisation, by=by)
