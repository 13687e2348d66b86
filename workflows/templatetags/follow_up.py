"""The dossier page's follow-up block (agents only): the team's labels on the dossier and the "Confier à" form."""

from django import template

from workflows.audiences import reads_internal_notes
from workflows.forms.follow_up import AssignForm, LabelForm
from workflows.services.assignment import assignable_agents
from workflows.services.labels import team_labels_marked

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up(context, kind, subject, work_item=None) -> dict:
    """What `_follow_up.html` shows: nothing for a role that does not read agents-only things."""
    user = context["request"].user
    if not reads_internal_notes(context.get("role")):
        return {}
    labels = list(team_labels_marked(user, kind, subject.pk))
    assign_form = None
    # The page already checked the user may act on the open task (role, territory, not a colleague's).
    if work_item is not None and work_item.is_open and context.get("can_act"):
        agents = assignable_agents(work_item, user)
        assign_form = AssignForm(agents=agents, initial={"assignee": work_item.owner_id})
    return {
        "labels": [label for label in labels if label.on_dossier],
        "team_labels": labels,
        "label_form": LabelForm(auto_id="follow-up-%s"),
        "assign_form": assign_form,
    }
