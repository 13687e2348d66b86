import pytest
from django.core import mail
from workflows import services
from workflows.enums import *
from workflows.models import *
from tests.workflows.factories import *

pytestmark = pytest.mark.django_db

def test_smoke(prefecture_paris, hub_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = StructureApplicationFactory()
        services.structure_application_confirm(application_id=app.pk)
    wi = WorkItem.objects.get(is_open=True)
    print(wi, wi.task.status, wi.task.owner_permission)
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_prefecture_review(work_item=wi, user=prefecture_paris, opinion="favorable", comment="Très bon dossier, avis favorable.")
    wi2 = WorkItem.objects.get(is_open=True)
    print(wi2, list(wi2.process.task_set.values_list("flow_task", "status")))
    with pytest.raises(services.AlreadyProcessed):
        services.structure_prefecture_review(work_item=wi, user=prefecture_paris, opinion="favorable", comment="Très bon dossier, avis favorable.")
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_hub_decide(work_item=wi2, user=hub_agent, decision="attribuer", posts_granted=2)
    app.refresh_from_db()
    print(app.status, app.structure, [m.subject for m in mail.outbox])
    p = wi2.process
    p.refresh_from_db()
    print(p.status, list(p.task_set.values_list("flow_task", "status")))
