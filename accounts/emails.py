"""Templated e-mails (text + HTML), sent after the transaction commits through a background task."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email_task(*, to: list[str], subject: str, text: str, html: str, reply_to: list[str] | None = None) -> None:
    """Deliver one e-mail; runs in the task worker (immediately in development and tests)."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to or None
    )
    message.attach_alternative(html, "text/html")
    message.send()


def render_email(template: str, context: dict) -> tuple[str, str]:
    """Render `emails/<template>.txt` and `.html` with the site URL available."""
    context = {"site_url": settings.SITE_URL, **context}
    return (
        render_to_string(f"emails/{template}.txt", context),
        render_to_string(f"emails/{template}.html", context),
    )


def send_templated_email(*, to: list[str] | str, subject: str, template: str, context: dict) -> None:
    """Queue an e-mail once the current transaction commits (never for a rolled-back change)."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return
    text, html = render_email(template, context)
    transaction.on_commit(lambda: send_email_task.enqueue(to=recipients, subject=subject, text=text, html=html))
