"""The dossier page's follow-up block (agents only): the team's labels on the dossier and the "Confier à" form."""

from django import template
from django.core.exceptions import PermissionDenied

from workflows.audiences import reads_internal_notes
from workflows.forms.follow_up import AssignForm, LabelForm
from workflows.services.assignment import assignable_agents
from workflows.services.common import check_can_act
from workflows.services.labels import dossier_labels, team_labels

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up(context, kind, subject, work_item=None) -> dict:
    """What `_follow_up.html` shows: nothing for a role that does not read agents-only things."""
    user = context["request"].user
    if not reads_internal_notes(context.get("role")):
        return {}
    labels = list(team_labels(user))
    on_dossier = list(dossier_labels(user, kind, subject.pk))
    assign_form = None
    if work_item is not None and work_item.is_open:
        try:
            check_can_act(user, work_item)
        except PermissionDenied:
            pass
        else:
            agents = assignable_agents(work_item, user)
            assign_form = AssignForm(agents=agents, initial={"assignee": work_item.owner_id})
    return {
        "labels": on_dossier,
        "team_labels": labels,
        "label_form": LabelForm(auto_id="follow-up-%s"),
        "assign_form": assign_form,
    }
