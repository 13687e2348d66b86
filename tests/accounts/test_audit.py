"""The audit log: who, when, what, from where; append-only (model, queryset, PostgreSQL trigger); the viewer."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import services
from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from directory.models import Hub
from tests.accounts.factories import UserFactory
from tests.directory.factories import HubFactory
from tests.territories.factories import department

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")


def request_from(address="203.0.113.7", forwarded=None, user=None):
    meta = {"REMOTE_ADDR": address, "HTTP_USER_AGENT": BROWSER}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    request.user = user
    return request


class TestClientAddress:
    def test_it_reads_remote_addr_and_ignores_a_forwarded_header_by_default(self, settings):
        settings.TRUST_X_FORWARDED_FOR = False
        assert services.client_ip(request_from(forwarded="198.51.100.1")) == "203.0.113.7"

    def test_behind_a_trusted_proxy_it_takes_the_address_the_proxy_appended(self, settings):
        settings.TRUST_X_FORWARDED_FOR = True
        # The client may send its own (forged) header: the proxy appends the real address last.
        assert services.client_ip(request_from(forwarded="1.2.3.4, 198.51.100.1")) == "198.51.100.1"

    def test_garbage_never_reaches_the_database(self, settings):
        settings.TRUST_X_FORWARDED_FOR = True
        assert services.client_ip(request_from(forwarded="'; DROP TABLE x; --")) == "203.0.113.7"
        assert services.client_ip(request_from(address="not-an-ip")) is None
        assert services.client_ip(None) is None


class TestAuditRecord:
    def test_it_records_who_what_and_from_where(self, national_admin, prefecture_paris):
        membership = prefecture_paris.memberships.get()
        event = services.audit_record(
            actor=national_admin,
            action=AuditAction.MEMBERSHIP_REVOKED,
            target=membership,
            request=request_from(user=national_admin),
        )
        event.refresh_from_db()
        assert event.actor == national_admin and event.actor_label == national_admin.email
        assert event.ip_address == "203.0.113.7" and event.user_agent == BROWSER
        assert event.target_type == "accounts.membership" and event.target_id == str(membership.pk)
        assert event.created_at <= timezone.now()

    def test_the_author_survives_the_deletion_of_their_account(self):
        user = UserFactory(email="parti@exemple.gouv.fr")
        event = services.audit_record(actor=user, action=AuditAction.DATA_EXPORTED)
        user.delete()
        event.refresh_from_db()
        assert event.actor is None and event.actor_label == "parti@exemple.gouv.fr"


class TestAppendOnly:
    def test_the_model_and_the_queryset_refuse_rewrites(self, national_admin):
        event = services.audit_record(actor=national_admin, action=AuditAction.DATA_EXPORTED)
        event.target_label = "falsifié"
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()
        with pytest.raises(ValueError):
            AuditEvent.objects.filter(pk=event.pk).update(target_label="falsifié")
        with pytest.raises(ValueError):
            AuditEvent.objects.all().delete()
        assert AuditEvent.objects.get(pk=event.pk).target_label == ""

    def test_only_events_past_retention_may_be_purged(self, national_admin):
        old = AuditEvent.objects.create(
            action=AuditAction.DATA_EXPORTED, created_at=timezone.now() - datetime.timedelta(days=6 * 365)
        )
        recent = services.audit_record(actor=national_admin, action=AuditAction.DATA_EXPORTED)
        call_command("purge_audit_log", verbosity=0)  # dry run: nothing deleted
        assert AuditEvent.objects.filter(pk=old.pk).exists()
        call_command("purge_audit_log", "--apply", verbosity=0)
        assert not AuditEvent.objects.filter(pk=old.pk).exists()
        assert AuditEvent.objects.filter(pk=recent.pk).exists()
        assert AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_PURGED, details__count=1).exists()

    @postgresql_only
    def test_postgresql_refuses_raw_sql_rewrites(self, national_admin):
        event = services.audit_record(actor=national_admin, action=AuditAction.DATA_EXPORTED)
        for statement in (
            "UPDATE accounts_auditevent SET target_label = 'falsifié' WHERE id = %s",
            "UPDATE accounts_auditevent SET actor_id = NULL, action = 'role_switched' WHERE id = %s",
            "DELETE FROM accounts_auditevent WHERE id = %s",
        ):
            with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(statement, [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk, target_label="").exists()

    @postgresql_only
    def test_postgresql_lets_an_account_be_deleted(self):
        user = UserFactory()
        event = services.audit_record(actor=user, action=AuditAction.DATA_EXPORTED)
        user.delete()  # ON DELETE SET NULL, the one update the trigger allows
        event.refresh_from_db()
        assert event.actor_id is None and event.actor_label == user.email


class TestWhatIsRecorded:
    def test_role_grants_revocations_and_switches(self, client, national_admin, prefecture_paris):
        second = services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=national_admin, department=department("13")
        )
        client.force_login(prefecture_paris)
        client.post(reverse("accounts:switch_role"), {"membership": second.pk}, HTTP_USER_AGENT=BROWSER)
        switched = AuditEvent.objects.get(action=AuditAction.ROLE_SWITCHED)
        assert switched.actor == prefecture_paris and switched.user_agent == BROWSER and switched.ip_address
        client.post(reverse("accounts:switch_role"), {"membership": second.pk})
        assert AuditEvent.objects.filter(action=AuditAction.ROLE_SWITCHED).count() == 1  # no change, no event
        client.force_login(national_admin)
        client.post(reverse("accounts:membership_revoke", args=[prefecture_paris.pk, second.pk]))
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {AuditAction.MEMBERSHIP_GRANTED, AuditAction.MEMBERSHIP_REVOKED} <= actions

    @pytest.mark.parametrize("what", ["structures", "recrutements", "fins-de-contrat"])
    def test_exports_of_personal_data(self, client, prefecture_paris, what):
        client.force_login(prefecture_paris)
        response = client.get(reverse("workflows:export", args=[what, "csv"]))
        assert response.status_code == 200
        event = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
        assert event.actor == prefecture_paris and event.details["export"] == what
        assert event.details["scope"] == str(prefecture_paris.memberships.get())

    def test_an_unknown_export_format_is_a_404_and_not_logged(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:export", args=["structures", "pdf"])).status_code == 404
        assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).exists()

    def test_django_admin_changes_and_deletions(self, client, national_admin):
        hub = HubFactory(name="Hub à supprimer")
        client.force_login(national_admin)
        response = client.post(
            "/django-admin/directory/hub/",
            {"action": "delete_selected", "_selected_action": [hub.pk], "post": "yes"},
            HTTP_USER_AGENT=BROWSER,
        )
        assert response.status_code == 302 and not Hub.objects.filter(pk=hub.pk).exists()
        deleted = AuditEvent.objects.get(action=AuditAction.ADMIN_DELETION)
        assert deleted.actor == national_admin and deleted.target_label == "Hub à supprimer"
        assert deleted.target_type == "directory.hub" and deleted.user_agent == BROWSER

        other = HubFactory(name="Hub modifié")
        admin_site._registry[Hub].log_change(
            request_from(user=national_admin), other, [{"changed": {"fields": ["Nom"]}}]
        )
        changed = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
        assert changed.details["message"] == "changed Nom" and changed.ip_address == "203.0.113.7"

    def test_every_admin_class_carries_the_audit_hooks(self):
        from config.admin import AuditedModelAdminMixin

        assert admin_site._registry
        assert all(isinstance(model_admin, AuditedModelAdminMixin) for model_admin in admin_site._registry.values())


class TestViewer:
    url = reverse("accounts:audit_log")

    def _events(self, national_admin, prefecture_paris):
        services.audit_record(actor=national_admin, action=AuditAction.DATA_EXPORTED, details={"export": "x"})
        services.audit_record(actor=prefecture_paris, action=AuditAction.ROLE_SWITCHED, target=prefecture_paris)

    def test_it_filters_by_action_actor_object_and_dates(self, client, national_admin, prefecture_paris):
        self._events(national_admin, prefecture_paris)
        client.force_login(national_admin)
        by_action = client.get(self.url, {"action": AuditAction.ROLE_SWITCHED})
        assert "Changement de rôle actif" in by_action.text and "Export de données personnelles</td>" not in (
            by_action.text
        )
        assert by_action.context["page"].paginator.count == 1
        assert client.get(self.url, {"actor": "paul.prefecture"}).context["page"].paginator.count >= 1
        assert client.get(self.url, {"actor": "personne-inconnue"}).context["page"].paginator.count == 0
        assert client.get(self.url, {"target": "accounts.user"}).context["page"].paginator.count == 1
        today = timezone.localdate().isoformat()
        assert client.get(self.url, {"start": today, "end": today}).context["page"].paginator.count >= 2
        assert client.get(self.url, {"end": "2020-01-01"}).context["page"].paginator.count == 0

    @pytest.mark.parametrize(
        "query, message",
        [
            ({"start": "31/02/2025"}, "Saisissez une date valide."),
            ({"start": "2019-12-31"}, "Choisissez une date entre le 1er janvier 2020 et le "),
            ({"start": "2025-05-02", "end": "2025-05-01"}, "La date de fin doit être postérieure"),
            ({"action": "n'importe quoi"}, "Sélectionnez un choix valide"),
            ({"actor": "x" * 300}, "Assurez-vous que cette valeur comporte au plus 254 caractères"),
        ],
    )
    def test_bad_filters_get_a_french_message_next_to_the_field(self, client, national_admin, query, message):
        client.force_login(national_admin)
        response = client.get(self.url, query)
        assert response.status_code == 400
        assert escape(message) in response.text
        assert 'id="erreurs"' in response.text
        for value in query.values():  # nothing typed is lost
            assert escape(value[:50]) in response.text

    def test_the_csv_export_is_itself_audited(self, client, national_admin, prefecture_paris):
        self._events(national_admin, prefecture_paris)
        AuditEvent.objects.create(action=AuditAction.DATA_EXPORTED, target_label='=HYPERLINK("http://x")')
        client.force_login(national_admin)
        response = client.get(self.url, {"action": AuditAction.DATA_EXPORTED, "format": "csv"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        body = b"".join(response.streaming_content).decode()
        assert body.startswith("\ufeffDate;Auteur;Action")
        assert "'=HYPERLINK" in body  # neutralised for spreadsheets
        assert "Changement de rôle actif" not in body  # the filter applies to the export too
        exported = AuditEvent.objects.get(action=AuditAction.AUDIT_LOG_EXPORTED)
        assert exported.actor == national_admin and exported.details == {"action": AuditAction.DATA_EXPORTED}

    def test_it_paginates_within_a_query_budget(self, client, national_admin, django_assert_max_num_queries):
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(actor=national_admin, action=AuditAction.DATA_EXPORTED, details={"export": "structures"})
                for _ in range(120)
            ]
        )
        client.force_login(national_admin)
        with django_assert_max_num_queries(8):
            response = client.get(self.url, {"page": 3, "action": AuditAction.DATA_EXPORTED})
        assert response.status_code == 200 and len(response.context["page"]) == 20
        assert client.get(self.url, {"page": "abc"}).status_code == 200

    @pytest.mark.parametrize("persona", ["prefecture_paris", "hub_agent", "structure_manager", "advisor_user"])
    def test_only_national_admins_see_it(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(self.url).status_code == 403
        assert client.get(self.url, {"format": "csv"}).status_code == 403
        assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_EXPORTED).exists()

    def test_anonymous_visitors_are_sent_to_login(self, client):
        assert client.get(self.url).status_code == 302
