"""Issue 11 item 2: before the "one engaged recruitment per candidate" constraint, keep for each candidate only the
most advanced engaged recruitment (the earliest on a tie) and cancel the others, with their parcours and tasks."""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

# Most advanced first: the recruitment kept is the one furthest along.
PROGRESS = ["finalisee", "prise_de_poste", "formation", "validation_hub", "avis_prefecture", "interessee"]
CANCELLED = "annulee"
NOTE = "Annulé à la mise en service de la règle « un candidat, un seul recrutement » : le candidat était déjà engagé "
NOTE += "dans un autre recrutement."


def resolve_duplicates(apps, schema_editor):
    Recruitment = apps.get_model("workflows", "Recruitment")
    Decision = apps.get_model("workflows", "Decision")
    WorkItem = apps.get_model("workflows", "WorkItem")
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    engaged = Recruitment.objects.filter(status__in=PROGRESS)
    duplicated = engaged.values("candidate_id").annotate(n=Count("pk")).filter(n__gt=1).values_list("candidate_id")
    now = timezone.now()
    for candidate_id, *_ in duplicated:
        rows = sorted(
            engaged.filter(candidate_id=candidate_id),
            key=lambda r: (PROGRESS.index(r.status), r.created_at, r.pk),
        )
        for recruitment in rows[1:]:
            Recruitment.objects.filter(pk=recruitment.pk).update(status=CANCELLED, updated_at=now)
            if recruitment.process_id:
                Task.objects.filter(process_id=recruitment.process_id).exclude(
                    status__in=["DONE", "CANCELED", "REVIVED"]
                ).update(status="CANCELED", finished=now)
                Process.objects.filter(pk=recruitment.process_id).exclude(status__in=["DONE", "CANCELED"]).update(
                    status="CANCELED", finished=now
                )
            WorkItem.objects.filter(kind="recrutement", subject_id=recruitment.pk, is_open=True).update(
                is_open=False, closed_at=now
            )
            Decision.objects.create(
                kind="recrutement",
                subject_id=recruitment.pk,
                process_id=recruitment.process_id,
                verdict="annulation",
                comment=NOTE,
                created_at=now,
            )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_candidate_anonymisation")]

    operations = [migrations.RunPython(resolve_duplicates, migrations.RunPython.noop)]
