"""Give every validated structure its convention and every deployed advisor her contract, from the data held so far.

A validated structure gets one convention from its validation date (three years; one whose three years are already
over is extended to a year from now, so that no post disappears the day this migration runs), with one grant event
of its current posts. Each deployed recruitment gets the contract it described (closed on the advisor's end date
when she left).
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def _three_years(start):
    try:
        return start.replace(year=start.year + 3) - timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + 3, day=28) - timedelta(days=1)


def backfill(apps, schema_editor):
    Structure = apps.get_model("directory", "Structure")
    Convention = apps.get_model("directory", "Convention")
    ConventionEvent = apps.get_model("directory", "ConventionEvent")
    Contract = apps.get_model("directory", "Contract")
    Recruitment = apps.get_model("workflows", "Recruitment")
    today = timezone.localdate()
    conventions = {}
    for structure in Structure.objects.filter(status="validee", posts_granted__gt=0).iterator():
        start = timezone.localdate(structure.validated_at) if structure.validated_at else today
        start = min(start, today)
        end = max(_three_years(start), today + timedelta(days=365))
        convention = Convention.objects.create(
            structure=structure,
            number=f"CONV-{start:%Y}-{structure.pk:06d}-P1",
            phase=1,
            start=start,
            end=end,
        )
        ConventionEvent.objects.create(
            convention=convention,
            kind="attribution",
            effective_on=start,
            delta=structure.posts_granted,
            comment="Reprise des postes attribués avant les conventions datées",
        )
        conventions[structure.pk] = convention
    deployed = Recruitment.objects.filter(
        status__in=["finalisee", "finalisee_rupture"], advisor__isnull=False, contract__isnull=True
    ).select_related("advisor")
    for recruitment in deployed.iterator():
        advisor = recruitment.advisor
        start = recruitment.contract_start or recruitment.started_at or advisor.started_at
        if start is None or not recruitment.contract_type:
            continue
        end = recruitment.contract_end if recruitment.contract_type != "cdi" else None
        ended = advisor.status == "termine"
        contract = Contract.objects.create(
            advisor=advisor,
            structure_id=recruitment.structure_id,
            convention=conventions.get(recruitment.structure_id),
            contract_type=recruitment.contract_type,
            start=start,
            end=end,
            salary=recruitment.salary,
            is_coordinator_post=recruitment.is_coordinator_post,
            status="termine" if ended else "en_cours",
            ended_on=(advisor.ended_at or today) if ended else None,
            end_reason="rupture" if ended else "",
        )
        Recruitment.objects.filter(pk=recruitment.pk).update(contract=contract)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0008_programme_life")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
