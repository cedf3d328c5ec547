"""django-allauth wired in one place: emails go out as background tasks."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

from core.notifications import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render now, while the request is here; send later, so a slow mail server never
        slows down sign-up or password reset."""
        request = context.get("request") or self.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_enqueue(
            to=list(message.to), subject=message.subject, body=message.body, html_body=html_body
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data["full_name"].strip()
        user.is_care_worker = form.cleaned_data.get("joining_as") == "care_worker"
        if commit:
            user.save()
        return user
