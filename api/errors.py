"""One error format for every API endpoint:

{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}
"""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = {}
    if isinstance(detail, dict) and "detail" not in detail:
        fields = detail
        message = "Some of the values sent are not valid."
        code = "invalid"
    else:
        raw = detail.get("detail", detail) if isinstance(detail, dict) else detail
        message = str(raw)
        code = getattr(raw, "code", None) or getattr(exc, "default_code", "error")
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response
