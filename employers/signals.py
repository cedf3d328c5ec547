"""Signals employers sends to the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent inside the transaction in which a registrar withdrew an employer's verification.
# Arguments: organisation and by (the registrar). Jobs withdraws the employer's published
# vacancies, since only a verified employer may advertise; a receiver that raises rolls the
# withdrawal back.
employer_verification_withdrawn = Signal()
