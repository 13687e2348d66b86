"""Templated e-mails (text + HTML), sent after the transaction commits through a background task.

Names typed by users (structures, candidates) reach subjects, addresses and bodies: every message is cleaned of
control characters here, in the one function that builds it (common.text), so no CR/LF can add a header and no NUL
can make the SMTP server refuse the message.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from common import text as clean


def _addresses(addresses: list[str] | None) -> list[str]:
    return [address for address in (clean.safe_address(item) for item in addresses or []) if address]


def build_email(
    *, to: list[str], subject: str, text: str, html: str, reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    """The message as it leaves: one-line subject, clean addresses and display names, bodies without controls."""
    message = EmailMultiAlternatives(
        subject=clean.single_line(subject),
        body=clean.multi_line(text),
        from_email=clean.safe_address(settings.DEFAULT_FROM_EMAIL),
        to=_addresses(to),
        reply_to=_addresses(reply_to) or None,
    )
    message.attach_alternative(clean.multi_line(html), "text/html")
    return message


@task()
def send_email_task(*, to: list[str], subject: str, text: str, html: str, reply_to: list[str] | None = None) -> None:
    """Deliver one e-mail; runs in the task worker (immediately in development and tests)."""
    message = build_email(to=to, subject=subject, text=text, html=html, reply_to=reply_to)
    if message.to:
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
    subject = clean.single_line(subject)
    text, html = clean.multi_line(text), clean.multi_line(html)
    transaction.on_commit(lambda: send_email_task.enqueue(to=recipients, subject=subject, text=text, html=html))
