"""Signals the register sends to the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent inside the transaction that changed an entry's status, when the change affects whether
# the worker may practise, or removes them on fitness to practise grounds (even from a
# suspension). Arguments: entry, context (old_status, new_status, reason, old_status_code) and
# by (who made the change; None for the system's daily commands). Employers tell the
# organisations that employ the worker; passports suspend, restore or revoke the worker's
# passports; a receiver that raises rolls the change back.
entry_status_changed = Signal()

# Sent inside the transaction that records a renewal reminder, once per reminder, before the
# registration has lapsed. Arguments: entry, renewal_due, days_before (the reminder's
# threshold) and today. Employers warn the organisations that employ the worker (at the
# reminders in RENEWAL_EMPLOYER_WARNING_DAYS); a receiver that raises rolls the reminder back,
# so the next run of the command tries again.
renewal_reminder_sent = Signal()

# Sent inside the transaction that changed details a worker's signed credentials show (their
# name, once a registrar approves a change). Arguments: entry, by (who made the change) and
# fields (the names of the entry's fields that changed). Passports supersede what shows the old
# details; a receiver that raises rolls the change back.
entry_details_changed = Signal()
