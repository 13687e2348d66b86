"""The memberships' links to the directory (hubs, structures, advisors), which itself points at accounts' users."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('directory', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='advisor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='directory.advisor', verbose_name='conseiller'),
        ),
        migrations.AddField(
            model_name='membership',
            name='hub',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='directory.hub', verbose_name='hub'),
        ),
        migrations.AddField(
            model_name='membership',
            name='structure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='directory.structure', verbose_name='structure'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('advisor__isnull', True), ('hub__isnull', True), ('role', 'prefecture'), ('structure__isnull', True), models.Q(models.Q(('department__isnull', False), ('region__isnull', True)), models.Q(('department__isnull', True), ('region__isnull', False)), _connector='OR')), models.Q(('advisor__isnull', True), ('department__isnull', True), ('hub__isnull', False), ('region__isnull', True), ('role', 'hub'), ('structure__isnull', True)), models.Q(('advisor__isnull', True), ('department__isnull', True), ('hub__isnull', True), ('region__isnull', True), ('role', 'structure'), ('structure__isnull', False)), models.Q(('advisor__isnull', False), ('department__isnull', True), ('hub__isnull', True), ('region__isnull', True), ('role__in', ['conseiller', 'coordinateur']), ('structure__isnull', True)), models.Q(('advisor__isnull', True), ('department__isnull', True), ('hub__isnull', True), ('region__isnull', True), ('role__in', ['national', 'editeur', 'moderateur']), ('structure__isnull', True)), _connector='OR'), name='membership_scope_matches_role'),
        ),
    ]
