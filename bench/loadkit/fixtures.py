"""Django side of the load and fault scripts, run in the bench database: accounts and pending tasks, then counts.

    python -m bench.loadkit.fixtures prepare --advisors 50 --agents 5 --tasks 200   # prints JSON
    python -m bench.loadkit.fixtures verify LEDGER.json                             # prints JSON

`prepare` is idempotent: it reuses the accounts it created before and only tops up the open prefecture tasks.
`verify` counts, for each submission the clients recorded, how many rows carry its token (reports: idempotency
token; decisions: the token written in the decision's internal note).
"""

import argparse
import datetime
import json
import os
import sys
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import Membership  # noqa: E402
from directory.demo import DEMO_DOMAIN, demo_siret  # noqa: E402
from directory.enums import StructureType  # noqa: E402
from directory.models import Advisor, PlaceAssignment  # noqa: E402
from reporting.models import Activity  # noqa: E402
from territories.models import Commune, Department  # noqa: E402
from workflows import services  # noqa: E402
from workflows.enums import Kind, Step  # noqa: E402
from workflows.models import Attachment, Decision, Message, StructureApplication, WorkItem  # noqa: E402

PASSWORD = "charge-cnum-2026"
DEPARTMENT = "75"
SIRET_OFFSET = 900_000
DECISION_COMMENT = "Avis du test de charge, jeton {token}"
ATTACHMENT_MESSAGE = "Message du test de charge, jeton {token}"  # bench.loadkit.client.ATTACHMENT_MESSAGE
DOSSIERS_PER_AGENT = 5


def _account(email: str, first_name: str, last_name: str):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _grant(user, role: str, **scope) -> None:
    membership, _ = Membership.objects.get_or_create(user=user, role=role, revoked_at=None, **scope)
    if user.active_membership_id != membership.pk:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])


def advisor_accounts(count: int) -> list[dict]:
    """Accounts for `count` active demo advisors that have a principal place (the load's report authors)."""
    active = Advisor.objects.active()
    advisors = list(active.filter(user__email__startswith="charge.").order_by("pk")[:count])
    advisors += list(
        active.filter(user__isnull=True, place_assignments__is_principal=True).order_by("pk")[: count - len(advisors)]
    )
    accounts, seen = [], set()
    for advisor in advisors:
        if advisor.pk in seen or len(accounts) >= count:
            continue
        seen.add(advisor.pk)
        user = advisor.user or _account(f"charge.{advisor.email}", advisor.first_name, advisor.last_name)
        if advisor.user_id != user.pk:
            advisor.user = user
            advisor.save(update_fields=["user"])
        _grant(user, Role.ADVISOR, advisor=advisor)
        place = PlaceAssignment.objects.filter(advisor=advisor, is_principal=True).values_list("place", flat=True)
        accounts.append({"email": user.email, "place": place.first()})
    if len(accounts) < count:
        raise SystemExit(f"Seulement {len(accounts)} conseillers en poste avec un lieu : lancez seed_demo.")
    return accounts


def agent_accounts(count: int) -> list:
    department = Department.objects.get(pk=DEPARTMENT)
    agents = []
    for number in range(count):
        user = _account(f"charge.prefecture{number}@{DEMO_DOMAIN}", "Agent", f"Charge {number}")
        _grant(user, Role.PREFECTURE, department=department)
        agents.append(user)
    return agents


def open_prefecture_tasks():
    return WorkItem.objects.filter(
        kind=Kind.STRUCTURE, step=Step.STRUCTURE_PREFECTURE, is_open=True, owner__isnull=True, department=DEPARTMENT
    )


def top_up_tasks(count: int) -> None:
    """Structure applications of Paris waiting for the prefecture's opinion, through the real services."""
    missing = count - open_prefecture_tasks().count()
    if missing <= 0:
        return
    commune = Commune.objects.filter(department_id=DEPARTMENT).order_by("-population", "code").first()
    number = StructureApplication.objects.filter(contact_email__startswith="charge.structure").count()
    for _ in range(missing):
        number += 1
        with transaction.atomic():
            application = services.structure_application_submit(
                data={
                    "siret": demo_siret(SIRET_OFFSET + number),
                    "name": f"Association de charge n° {number}",
                    "type": StructureType.PRIVATE,
                    "address": f"{number} rue de la Charge",
                    "commune": commune,
                    "contact_first_name": "Camille",
                    "contact_last_name": f"Charge {number}",
                    "contact_function": "Présidente",
                    "contact_email": f"charge.structure{number}@{DEMO_DOMAIN}",
                    "contact_phone": "0100000000",
                    "advisors_wanted": 1,
                    "start_date": timezone.localdate() + datetime.timedelta(days=30),
                    "candidate_identified": False,
                    "motivation": "Candidature créée par le script de charge pour mesurer les décisions.",
                    "engagement": True,
                }
            )
            services.structure_application_confirm(application_id=application.pk)


def prepare(args) -> dict:
    advisors = advisor_accounts(args.advisors)
    agents = agent_accounts(args.agents)
    top_up_tasks(args.tasks)
    tasks = list(open_prefecture_tasks().order_by("pk").values_list("pk", "subject_id")[: args.tasks])
    task_ids = [pk for pk, _ in tasks]
    subjects = [subject for _, subject in tasks]
    return {
        "password": PASSWORD,
        "advisors": advisors,
        "agents": [
            {
                "email": agent.email,
                "work_items": task_ids[index :: len(agents)],
                # Dossiers of Paris the agent writes to with an attachment (the object-store write of the mix).
                "dossiers": subjects[index :: len(agents)][:DOSSIERS_PER_AGENT],
            }
            for index, agent in enumerate(agents)
        ],
        "counts": totals(),
    }


def totals() -> dict:
    return {
        "activities": Activity.objects.count(),
        "decisions": Decision.objects.count(),
        "prefecture_opinions": Decision.objects.filter(step=Step.STRUCTURE_PREFECTURE).count(),
        "messages": Message.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def verify(args) -> dict:
    """How many rows each recorded submission left: exactly 1 for every acknowledged one, never 2."""
    with open(args.ledger) as handle:
        ledger = json.load(handle)
    report_tokens = {entry["token"]: entry["acknowledged"] for entry in ledger["reports"]}
    found = Counter(
        {
            str(row["idempotency_token"]): row["n"]
            for row in Activity.objects.filter(idempotency_token__in=list(report_tokens))
            .values("idempotency_token")
            .annotate(n=Count("pk"))
        }
    )
    decision_tokens = {entry["token"]: entry["acknowledged"] for entry in ledger["decisions"]}
    comments = {DECISION_COMMENT.format(token=token): token for token in decision_tokens}
    rows = Decision.objects.filter(internal_note__in=list(comments), step=Step.STRUCTURE_PREFECTURE).values(
        "internal_note"
    )
    decided = Counter(comments[row["internal_note"]] for row in rows)
    return {
        "reports": summary(report_tokens, found),
        "decisions": summary(decision_tokens, decided),
        "attachments": attachments_summary(ledger.get("attachments", [])),
        "counts": totals(),
    }


def attachments_summary(entries: list[dict]) -> dict:
    """Messages with their PDF, counted by token; `incomplete`: messages stored without exactly one file."""
    tokens = {entry["token"]: entry["acknowledged"] for entry in entries}
    bodies = {ATTACHMENT_MESSAGE.format(token=token): token for token in tokens}
    messages = Message.objects.filter(body__in=list(bodies)).annotate(files=Count("attachments"))
    found, incomplete = Counter(), 0
    for message in messages:
        found[bodies[message.body]] += 1
        incomplete += message.files != 1
    return {**summary(tokens, found), "incomplete": incomplete}


def summary(tokens: dict[str, bool], found: Counter) -> dict:
    acknowledged = [token for token, ack in tokens.items() if ack]
    unacknowledged = [token for token, ack in tokens.items() if not ack]
    return {
        "submitted": len(tokens),
        "acknowledged": len(acknowledged),
        "acknowledged_found_once": sum(1 for token in acknowledged if found[token] == 1),
        "acknowledged_missing": sum(1 for token in acknowledged if found[token] == 0),
        "duplicated": sum(1 for token in tokens if found[token] > 1),
        "unacknowledged_stored": sum(1 for token in unacknowledged if found[token] == 1),
        "rows": sum(found.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("--advisors", type=int, default=50)
    prepare_parser.add_argument("--agents", type=int, default=5)
    prepare_parser.add_argument("--tasks", type=int, default=200)
    verify_parser = commands.add_parser("verify")
    verify_parser.add_argument("ledger")
    commands.add_parser("counts")
    args = parser.parse_args()
    result = {"prepare": prepare, "verify": verify, "counts": lambda _: totals()}[args.command](args)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
