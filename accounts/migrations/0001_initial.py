"""Users, memberships and the audit log, squashed from the first nine migrations (nothing was deployed before)."""

import accounts.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('territories', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='adresse e-mail')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='prénom')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='nom')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='téléphone')),
                ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                ('is_staff', models.BooleanField(default=False, verbose_name="accès à l'administration Django")),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date de création')),
                ('inactivity_notified_at', models.DateTimeField(blank=True, null=True, verbose_name="prévenu de l'inactivité le")),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': 'utilisateur',
                'ordering': ['last_name', 'first_name', 'email'],
            },
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('conseiller', 'Conseiller numérique'), ('coordinateur', 'Coordinateur'), ('structure', 'Gestionnaire de structure'), ('prefecture', 'Agent de préfecture'), ('hub', 'Agent de hub'), ('national', 'Administrateur national (ANCT)'), ('editeur', 'Éditeur du site'), ('moderateur', 'Modérateur du site')], max_length=20, verbose_name='rôle')),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='attribué le')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='retiré le')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='territories.department', verbose_name='département')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='attribué par')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='territories.region', verbose_name='région')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='retiré par')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'rôle',
                'ordering': ['granted_at'],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='active_membership',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership', verbose_name='rôle actif'),
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='date')),
                ('actor_label', models.CharField(blank=True, max_length=255, verbose_name="auteur (au moment de l'action)")),
                ('action', models.CharField(choices=[('membership_granted', 'Rôle attribué'), ('membership_revoked', 'Rôle retiré'), ('user_invited', 'Utilisateur invité'), ('invitation_accepted', 'Invitation acceptée'), ('workflow_decision', 'Décision sur un dossier de recrutement'), ('activity_deleted', "Compte-rendu d'activité supprimé"), ('place_removed', "Lieu d'activité retiré"), ('team_activities_exported', "Activités d'une équipe exportées"), ('role_switched', 'Changement de rôle actif'), ('data_exported', 'Export de données personnelles'), ('audit_log_exported', "Journal d'audit exporté"), ('admin_addition', "Ajout dans l'administration Django"), ('admin_change', "Modification dans l'administration Django"), ('admin_deletion', "Suppression dans l'administration Django"), ('candidate_data_downloaded', 'Données téléchargées par un candidat'), ('cvs_purged', 'CV de plus de 6 mois supprimés'), ('candidates_anonymised', 'Candidats inactifs anonymisés'), ('inactive_accounts_processed', 'Comptes inactifs prévenus ou désactivés'), ('audit_log_purged', "Événements d'audit de plus de 5 ans supprimés"), ('pilotage_exported', 'Export de données personnelles (pilotage)'), ('pilotage_export_downloaded', 'Export différé téléchargé (pilotage)'), ('contract_endings_applied', 'Fins de contrat arrivées à échéance appliquées')], max_length=40, verbose_name='action')),
                ('target_type', models.CharField(blank=True, max_length=60, verbose_name="type d'objet")),
                ('target_id', models.CharField(blank=True, max_length=40, verbose_name='identifiant')),
                ('target_label', models.CharField(blank=True, max_length=255, verbose_name='objet')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='détails')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP')),
                ('user_agent', models.CharField(blank=True, max_length=255, verbose_name='navigateur')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
            ],
            options={
                'verbose_name': "événement d'audit",
                'verbose_name_plural': "journal d'audit",
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['action', 'created_at'], name='audit_action_date'), models.Index(fields=['actor', 'created_at'], name='audit_actor_date')],
            },
        ),
        migrations.AddIndex(
            model_name='membership',
            index=models.Index(fields=['user', 'revoked_at'], name='membership_user_active'),
        ),
    ]
