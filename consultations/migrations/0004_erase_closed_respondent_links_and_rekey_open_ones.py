"""Issue 17, finding 5 (docs/decisions/0018). Closed consultations keep no link between a
response and a person or a client: their respondent hashes and idempotency keys are erased.
Consultations still taking answers get their respondent hashes remade under the new key
(CONSULTATION_RESPONDENT_KEY and the consultation's salt, in place of BLIND_INDEX_KEY), so
nobody who has answered one can answer it again. The two ways of hashing are copied here, as
they were when this was written."""

import hashlib
import hmac

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat

STILL_ANSWERABLE = {"draft", "scheduled", "open"}


def _old_hash(salt: str, user_id: int) -> str:
    key = f"{settings.BLIND_INDEX_KEY}:{salt}".encode()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()


def _new_hash(salt: str, user_id: int) -> str:
    key = HKDF(
        algorithm=SHA256(), length=32, salt=salt.encode(), info=b"consultation:respondent"
    ).derive(settings.CONSULTATION_RESPONDENT_KEY.encode())
    return hmac.new(key, f"user:{user_id}".encode(), hashlib.sha256).hexdigest()


def forwards(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    Response = apps.get_model("consultations", "Response")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for consultation in Consultation.objects.all().only("pk", "status", "salt"):
        responses = Response.objects.filter(consultation_id=consultation.pk)
        if consultation.status not in STILL_ANSWERABLE:
            responses.update(
                respondent_hash=None, idempotency_key=Concat(Value("closed:"), F("reference"))
            )
            continue
        hashed = dict(
            responses.filter(respondent_hash__isnull=False).values_list("respondent_hash", "pk")
        )
        if not hashed:
            continue
        for user_id in User.objects.values_list("pk", flat=True).iterator():
            response_id = hashed.get(_old_hash(consultation.salt, user_id))
            if response_id is not None:
                Response.objects.filter(pk=response_id).update(
                    respondent_hash=_new_hash(consultation.salt, user_id)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_response_receipt_sent_and_draft_emailed_to"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
