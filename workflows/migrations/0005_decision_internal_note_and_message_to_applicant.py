"""Issue 11 item 3: a decision's single comment becomes an internal note (agents only), and a message to the
applicant is added. Every existing comment is kept as an internal note: nobody outside the agents ever reads it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_unique_engaged_recruitment_per_candidate")]

    operations = [
        migrations.RenameField(model_name="decision", old_name="comment", new_name="internal_note"),
        migrations.AlterField(
            model_name="decision",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="Lue seulement par les agents : préfecture, hub, équipe nationale.",
                verbose_name="note interne",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="message_to_applicant",
            field=models.TextField(
                blank=True,
                help_text="Lu aussi par le demandeur : la structure et, pour un recrutement, le candidat.",
                verbose_name="message au demandeur",
            ),
        ),
    ]
