"""The structure's forms: candidate search, cancellations, end of contract, training import."""

from django import forms
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateField
from workflows.enums import (
    RuptureMotive,
)
from workflows.forms.fields import (
    YES_NO,
    DateInput,
    message_field,
)


class RuptureNotifyForm(DsfrBaseForm):
    end_date = BoundedDateField(
        label="Date de fin de contrat",
        widget=DateInput,
        help_text="Au plus tard la date de fin du contrat. Format attendu : JJ/MM/AAAA.",
    )
    motive = forms.ChoiceField(label="Motif", choices=RuptureMotive.choices, widget=forms.RadioSelect)
    comment = message_field("Précisions (facultatives)", "Lues par le hub, l'équipe nationale et votre structure.")
    field_order = ["end_date", "motive", "comment"]


class CancelForm(DsfrBaseForm):
    message_to_applicant = forms.CharField(
        label="Message au candidat : raison de l'annulation",
        max_length=1000,
        help_text="Envoyé par e-mail au candidat.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class RuptureCancelForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Raison de l'annulation",
        max_length=1000,
        help_text="Envoyée par e-mail au conseiller, à la structure et au hub (10 caractères au moins).",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class TrainingImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV de l'organisme de formation",
        help_text="Colonnes : email;date_debut;date_fin;terminee;certifie (dates JJ/MM/AAAA, oui/non). "
        "2 Mo au maximum.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 2 Mo.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Le fichier doit être un CSV encodé en UTF-8.") from None


class PoolSearchForm(DsfrBaseForm):
    distance = forms.TypedChoiceField(
        label="Distance maximale de la structure",
        choices=[(d, f"{d} km") for d in (5, 10, 15, 20, 40, 100)],
        coerce=int,
        initial=20,
        required=False,
    )
    available_by = BoundedDateField(
        label="Disponible au plus tard le", required=False, widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    diploma = forms.ChoiceField(
        label="Diplôme en médiation numérique", choices=[("", "Indifférent"), *YES_NO], required=False
    )
    experience = forms.ChoiceField(
        label="Expérience en médiation numérique", choices=[("", "Indifférent"), *YES_NO], required=False
    )
