"""Service-level shortcuts through the parcours, shared by the issue 11 tests (items 3 and 4)."""

import datetime

from django.core import mail
from django.utils import timezone

from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, Step


def during(capture, action):
    """Run `action` with the after-commit e-mails executed; return the e-mails it sent."""
    before = len(mail.outbox)
    with capture(execute=True):
        action()
    return mail.outbox[before:]


def recipients(messages) -> set[str]:
    return {address for message in messages for address in message.to}


def body(message) -> str:
    """Text and HTML of an e-mail."""
    return message.body + "".join(content for content, _mime in getattr(message, "alternatives", []))


def prefecture_review(application, user, opinion="favorable", note="Avis interne du préfet.", message=""):
    return services.structure_prefecture_review(
        work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE),
        user=user,
        opinion=opinion,
        internal_note=note,
        message_to_applicant=message,
    )


def structure_hub(application, user, decision, **texts):
    return services.structure_hub_decide(
        work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB),
        user=user,
        decision=decision,
        posts_granted=1 if decision == "attribuer" else None,
        **texts,
    )


def propose_contract(recruitment, manager, message=""):
    return services.recruitment_propose_contract(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT),
        user=manager,
        contract_type="cdi",
        contract_start=timezone.localdate() + datetime.timedelta(days=10),
        contract_end=None,
        salary=2100,
        message_to_applicant=message,
    )


def recruitment_prefecture(recruitment, user, opinion="favorable", **texts):
    texts.setdefault("internal_note", "Avis interne du préfet.")
    return services.recruitment_prefecture_review(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE),
        user=user,
        opinion=opinion,
        **texts,
    )


def recruitment_hub(recruitment, user, decision, **texts):
    return services.recruitment_hub_decide(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB), user=user, decision=decision, **texts
    )


def training_done(recruitment, user):
    today = timezone.localdate()
    return services.recruitment_record_training(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING),
        user=user,
        # A training starts once the hub has validated the recruitment (issue 11 item 11): today at the earliest.
        session_start=today,
        session_end=today,
        completed=True,
        certified=True,
    )


def deploy(recruitment, manager):
    return services.recruitment_deploy(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_DEPLOYMENT),
        user=manager,
        started_at=timezone.localdate() + datetime.timedelta(days=11),
        new_place_name="Espace numérique",
        new_place_address="1 rue de la Roquette",
    )
