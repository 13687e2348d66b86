"""Coordinator posts: the structure's request, the decision forms of the three steps and the team form."""

from django import forms
from dsfr.forms import DsfrBaseForm

from directory.enums import AdvisorStatus
from directory.models import Advisor
from territories.models import Department
from workflows.audiences import MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import RECRUITMENT_IN_PROGRESS, CoordinationType, PrefectureOpinion, RequestDecision
from workflows.forms.decisions import DecisionForm
from workflows.forms.fields import internal_note_field, message_field, refusal_reason_field
from workflows.models import Recruitment


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


def department_field(label: str, help_text: str, *, required: bool) -> DepartmentChoiceField:
    return DepartmentChoiceField(
        label=label,
        queryset=Department.objects.order_by("code"),
        required=required,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class CoordinatorRequestForm(DsfrBaseForm):
    """The structure's request for a coordinator post (read by the prefecture and the national team)."""

    coordination_type = forms.ChoiceField(
        label="Missions du coordinateur", choices=CoordinationType.choices, widget=forms.RadioSelect
    )
    territory = forms.CharField(
        label="Territoire à couvrir",
        min_length=5,
        max_length=500,
        help_text="Communes, intercommunalités ou quartiers que le coordinateur animera. Entre 5 et 500 caractères. "
        "Lu par la préfecture et l'équipe nationale.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    covered_departments = department_field(
        "Départements couverts",
        "Un ou plusieurs départements (Ctrl ou Cmd pour en choisir plusieurs).",
        required=True,
    )
    motivation = forms.CharField(
        label="Motivation",
        min_length=10,
        max_length=2500,
        help_text="Pourquoi un coordinateur sur ce territoire : équipe à animer, partenaires, besoins. Entre 10 et "
        "2 500 caractères. Lue par la préfecture et l'équipe nationale.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2500}),
    )
    field_order = ["coordination_type", "territory", "covered_departments", "motivation"]


class CoordinatorPrefectureForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    rank = forms.IntegerField(
        label="Rang de cette demande dans le département",
        min_value=1,
        help_text="1 pour la demande à retenir en premier. Deux demandes du département ne peuvent pas avoir le "
        "même rang : les rangs déjà donnés sont listés dans le dossier.",
    )
    internal_note = internal_note_field(
        "Note interne pour l'équipe nationale", "Entre 10 et 1 000 caractères.", required=True
    )
    message_to_applicant = message_field("Message à la structure (facultatif)", MESSAGE_TO_STRUCTURE_HELP)
    field_order = ["opinion", "rank", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable ou défavorable, la demande passe à l'équipe nationale avec son rang, qui décide.",
        "La structure est prévenue par e-mail, avec votre message s'il y en a un ; votre note interne et le rang ne "
        "lui sont jamais transmis.",
    ]

    def __init__(self, *args, ranked=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ranked:
            # The service checks the bound again under lock (a request may arrive meanwhile).
            rank = self.fields["rank"]
            rank.widget.attrs["max"] = ranked
            bound = f"Entre 1 et {ranked} ({ranked} demande(s) en cours dans le département)."
            rank.help_text = f"{bound} {rank.help_text}"
            self._bound_fields_cache.pop("rank", None)  # bound by DsfrBaseForm before the help text changed


class CoordinatorDecisionForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RequestDecision.choices, widget=forms.RadioSelect)
    reason = refusal_reason_field("Motif de refus", "Obligatoire pour un refus : il sera envoyé à la structure.")
    message_to_applicant = message_field(
        "Message à la structure (facultatif)", f"{MESSAGE_TO_STRUCTURE_HELP} Obligatoire avec « Autre motif »."
    )
    internal_note = internal_note_field(
        extra="Obligatoire pour renvoyer au préfet : elle lui dit quoi réexaminer (10 caractères au moins)."
    )
    field_order = ["decision", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Accorder : un poste de coordinateur est ajouté dès aujourd'hui à la convention de la structure, qui désigne "
        "ensuite son coordinateur ; la préfecture est informée.",
        "Refuser : la demande prend fin ; le motif et votre message sont envoyés à la structure.",
        "Renvoyer au préfet : la préfecture reçoit votre note interne et donne un nouvel avis.",
    ]


class CoordinatorDesignationForm(DecisionForm):
    advisor = forms.ModelChoiceField(
        label="Un conseiller en poste dans la structure",
        queryset=None,
        required=False,
        empty_label="Aucun (je choisis un recrutement en cours)",
        help_text="Il devient coordinateur dès l'enregistrement.",
    )
    recruitment = forms.ModelChoiceField(
        label="Ou un recrutement en cours de la structure",
        queryset=None,
        required=False,
        empty_label="Aucun",
        help_text="Contrat proposé, pas encore en poste : la personne deviendra coordinatrice à sa prise de poste.",
    )
    message_to_applicant = message_field(
        "Précisions (facultatives)", "Lues par la préfecture, l'équipe nationale et votre structure."
    )
    field_order = ["advisor", "recruitment", "message_to_applicant"]
    consequences = [
        "Le conseiller désigné reçoit le rôle de coordinateur (ou l'aura à sa prise de poste) ; vous composez "
        "ensuite son équipe. La préfecture et l'équipe nationale sont informées."
    ]

    def __init__(self, *args, advisors=None, recruitments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors
        self.fields["recruitment"].queryset = recruitments


def designation_choices(structure_id) -> dict:
    """What a structure may designate as coordinator: its advisors in post and its recruitments in progress."""
    return {
        "advisors": Advisor.objects.filter(structure=structure_id, status=AdvisorStatus.ACTIVE).order_by(
            "last_name", "first_name"
        ),
        "recruitments": Recruitment.objects.filter(structure=structure_id, status__in=RECRUITMENT_IN_PROGRESS)
        .select_related("candidate")
        .order_by("created_at"),
    }


def redesignation_form(coordinator_request, data=None) -> CoordinatorDesignationForm:
    """The form that designates a new coordinator on a vacant post (outside the parcours)."""
    form = CoordinatorDesignationForm(data, **designation_choices(coordinator_request.structure_id))
    form.consequences = [
        "Le conseiller désigné reçoit le rôle de coordinateur (ou l'aura à sa prise de poste) ; la préfecture et "
        "l'équipe nationale sont informées."
    ]
    return form


class AdvisorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.structure.name if obj.structure_id else 'sans structure'}"


class CoordinatorTeamForm(DsfrBaseForm):
    """The coordinator's team (read by the coordinator, her structure and the agents)."""

    advisors = AdvisorChoiceField(
        label="Conseillers coordonnés",
        queryset=None,
        required=False,
        help_text="Les conseillers en poste que vous pouvez voir ; les autres membres de l'équipe restent inchangés.",
        widget=forms.CheckboxSelectMultiple,
    )
    departments = department_field(
        "Départements coordonnés",
        "Tous les conseillers des structures de ces départements font partie de l'équipe (Ctrl ou Cmd pour en "
        "choisir plusieurs).",
        required=False,
    )

    def __init__(self, *args, advisors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisors"].queryset = advisors
