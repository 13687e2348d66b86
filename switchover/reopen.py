"""Open imported dossiers become live Viewflow processes, brought to their step by the flows' own transitions.

An open dossier of the existing system (a structure awaiting the COSELEC, a recruitment awaiting validation, a rupture
being checked) must be actionable the day after the switch-over: its process is started with the flow's StartHandle
and the steps the existing system already went through are completed by the task's own activation (assign, start,
execute), without a user: the person who acted then is named in the imported decision log, not on the task. The
tasks created on the way index themselves (WorkItem, `task_created`), so their deadlines run from the import date.
"""

from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from workflows.services.common import close_finished_work_items


def imported_process_start(*, flow_class, subject) -> Process:
    """Start the dossier's process (its first human task opens now) and link it to the dossier's row."""
    process = flow_class.start.run(subject=subject)
    type(subject).objects.filter(pk=subject.pk).update(process=process)
    subject.process = process
    return process


def imported_task_complete(*, process, node, **decisions) -> None:
    """Complete the open task of `node` as the existing system did, with the process fields that route the flow."""
    task = process.task_set.get(flow_task=node, status=STATUS.NEW)
    with task.activation() as activation:
        activation.assign(None)
        activation.start(None)
        for name, value in decisions.items():
            setattr(activation.process, name, value)
        activation.process.save()
        activation.execute()
    close_finished_work_items(process)
