"""The DSFR shell: base layout, header (role switch, logout), footer, error pages and auth templates."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.factories import PASSWORD

User = get_user_model()
SITE_TEMPLATES = Path(settings.BASE_DIR) / "site" / "templates"


@pytest.fixture
def national(national_admin):
    return national_admin


@pytest.fixture
def prefect_agent(prefecture_paris):
    return prefecture_paris


@pytest.fixture
def two_roles_user(prefecture_editor):
    """A prefecture agent (active) who is also an editor."""
    return prefecture_editor


def logged_in(client, user):
    client.force_login(user)
    return client


def asset_urls(html: str) -> list[str]:
    """Every URL the page loads by itself: stylesheets, icons, scripts, images."""
    links = re.findall(r"<link\b[^>]*\bhref=\"([^\"]+)\"", html)
    sources = re.findall(r"<(?:script|img|source|iframe)\b[^>]*\bsrc=\"([^\"]+)\"", html)
    return links + sources


class TestTemplateOrigins:
    @pytest.mark.parametrize(
        "name",
        [
            "400.html",
            "403.html",
            "404.html",
            "500.html",
            "registration/login.html",
            "registration/logged_out.html",
            "registration/password_reset_form.html",
            "registration/password_reset_done.html",
            "registration/password_reset_confirm.html",
            "registration/password_reset_complete.html",
        ],
    )
    def test_it_finds_ours_before_viewflows(self, name):
        origin = Path(get_template(name).origin.name)
        assert origin.is_relative_to(SITE_TEMPLATES), origin


class TestErrorPages:
    def test_it_renders_our_404_in_french(self, client, db):
        response = client.get("/page-inexistante/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert "Erreur 404" in html
        assert "<title>Page non trouvée — Conseiller numérique</title>" in html
        assert 'class="fr-header"' in html
        assert 'id="pied-de-page"' in html

    def test_it_renders_our_403_to_a_user_without_the_role(self, client, prefect_agent):
        response = logged_in(client, prefect_agent).get(reverse("accounts:user_list"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "Erreur 403" in html
        assert "Accès refusé" in html
        assert reverse("accounts:account") in html

    def test_it_renders_our_400(self, db):
        request = RequestFactory().get("/")
        response = defaults.bad_request(request, Exception("bad"))
        assert response.status_code == 400
        assert "Erreur 400" in response.content.decode()

    def test_it_renders_500_without_request_context_nor_database(self, django_assert_num_queries, db):
        request = RequestFactory().get("/")
        with django_assert_num_queries(0):
            response = defaults.server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert "Erreur 500" in html
        assert "/static/css/dsfr-allege.css" in html

    def test_it_explains_an_expired_form_in_french(self, db):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("accounts:login"), {"username": "a@b.fr", "password": "x"})
        assert response.status_code == 403
        assert "Formulaire expiré" in response.content.decode()


class TestLayout:
    def test_it_renders_the_dsfr_shell_with_local_assets_only(self, client, db):
        response = client.get(reverse("accounts:login"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="fr-header"' in html
        assert 'class="fr-footer"' in html
        assert "République<br>française" in html
        assert "Conseiller numérique" in html
        urls = asset_urls(html)
        assert "/static/css/dsfr-allege.css" in urls
        assert "/static/css/dsfr-icones.css" in urls
        assert "/static/dsfr/dist/dsfr/dsfr.module.min.js" in urls
        assert all(url.startswith("/static/") for url in urls), urls
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)

    def test_it_has_no_inline_script_and_puts_a_nonce_on_every_script(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert len(scripts) == 3  # DSFR module + nomodule, js/site.js
        nonces = set()
        for attributes, body in scripts:
            assert 'src="/static/' in attributes
            assert body.strip() == ""
            nonces.update(re.findall(r'nonce="([^"]+)"', attributes))
        assert len(nonces) == 1

    def test_it_sends_the_pages_nonce_in_the_csp_header(self, client, db):
        response = client.get(reverse("accounts:login"))
        nonce = re.search(r'<script\b[^>]*nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]

    def test_it_has_skip_links_a_title_and_landmarks(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        skiplinks = re.search(r'<div class="fr-skiplinks">(.*?)</div>', html, flags=re.S).group(1)
        assert re.findall(r'href="([^"]+)">([^<]+)</a>', skiplinks) == [
            ("#contenu", "Contenu"),
            ("#navigation-principale", "Menu"),
            ("#pied-de-page", "Pied de page"),
        ]
        assert '<main id="contenu"' in html
        assert 'id="navigation-principale"' in html
        assert "<title>Connexion — Conseiller numérique</title>" in html

    def test_it_links_the_footer_pages_and_the_licence(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        for path in [
            "/plan-du-site/",
            "/accessibilite/",
            "/mentions-legales/",
            "/donnees-personnelles/",
            "/open-data/",
        ]:
            assert f'href="{path}"' in html
        assert "Accessibilité : partiellement conforme" in html
        assert "etalab-2.0" in html

    def test_it_shows_django_messages_as_dsfr_alerts(self, client, two_roles_user):
        client = logged_in(client, two_roles_user)
        membership = two_roles_user.memberships.get(role="editeur")
        response = client.post(
            reverse("accounts:switch_role"),
            {"membership": membership.pk, "next": reverse("accounts:account")},
            follow=True,
        )
        assert 'class="fr-alert fr-alert--success fr-alert--sm' in response.content.decode()


class TestHeader:
    def test_it_offers_login_to_anonymous_visitors(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        assert f'href="{reverse("accounts:login")}">Se connecter</a>' in html
        assert "Se déconnecter" not in html
        assert "Espace agents" not in html

    def test_it_shows_the_user_and_the_active_role(self, client, prefect_agent):
        html = logged_in(client, prefect_agent).get(reverse("accounts:account")).content.decode()
        assert "Paul Agent" in html
        assert "Agent de préfecture — Paris (75)" in html
        assert 'name="membership"' not in html.split("</header>")[0]

    def test_it_logs_out_with_a_post_form(self, client, prefect_agent):
        client = logged_in(client, prefect_agent)
        header = client.get(reverse("accounts:account")).content.decode().split("</header>")[0]
        form = re.search(r'<form method="post" action="/deconnexion/">(.*?)</form>', header, flags=re.S)
        assert form is not None
        assert 'name="csrfmiddlewaretoken"' in form.group(1)
        reloaded = client.get(reverse("accounts:logout"))  # Issue 11 item 11: no blank 405, and no logout
        assert reloaded.status_code == 302 and "_auth_user_id" in client.session
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_it_shows_the_navigation_of_the_active_role(self, client, national, prefect_agent):
        html = logged_in(client, prefect_agent).get(reverse("accounts:account")).content.decode()
        assert 'href="/espace/">Espace agents' in html
        assert 'href="/pilotage/">Pilotage' in html
        assert "Utilisateurs</a>" not in html
        html = logged_in(Client(), national).get(reverse("accounts:account")).content.decode()
        assert f'href="{reverse("accounts:user_list")}">Utilisateurs' in html
        assert f'href="{reverse("accounts:audit_log")}">Journal' in html

    def test_it_marks_the_current_section(self, client, national):
        html = logged_in(client, national).get(reverse("accounts:user_list")).content.decode()
        current = re.findall(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">', html)
        assert current == [reverse("accounts:user_list")]
        assert 'aria-controls="menu-mon-espace" aria-current="true">Mon espace</button>' in html

    def test_it_gives_a_single_space_its_own_entry(self, client, two_roles_user):
        editor = two_roles_user.memberships.get(role="editeur")
        services.role_switch(user=two_roles_user, membership_id=editor.pk)
        html = logged_in(client, two_roles_user).get(reverse("accounts:account")).content.decode()
        assert re.search(
            r'<li class="fr-nav__item"><a class="fr-nav__link" href="/cms/">Administration du site</a>\s*</li>', html
        )
        assert "Mon espace" not in html

    def test_it_marks_the_home_page_only_on_the_home_page(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        assert 'href="/" aria-current="page"' not in html


class TestRoleSwitch:
    def test_it_appears_only_with_two_roles_or_more(self, client, prefect_agent, two_roles_user):
        header = logged_in(client, prefect_agent).get(reverse("accounts:account")).content.decode()
        assert 'action="/mon-compte/role/"' not in header.split("</header>")[0]
        header = logged_in(Client(), two_roles_user).get(reverse("accounts:account")).content.decode()
        header = header.split("</header>")[0]
        assert 'action="/mon-compte/role/"' in header
        active = two_roles_user.memberships.get(role="prefecture")
        assert f'<option value="{active.pk}" selected>Agent de préfecture — Paris (75)</option>' in header
        assert '<label class="fr-label" for="role-actif" id="role-actif-label">Rôle actif</label>' in header
        assert '<input type="hidden" name="next" value="/mon-compte/">' in header
        assert ">Changer</button>" in header

    def test_it_switches_to_one_of_my_roles(self, client, two_roles_user):
        editor = two_roles_user.memberships.get(role="editeur")
        response = logged_in(client, two_roles_user).post(
            reverse("accounts:switch_role"), {"membership": editor.pk, "next": "/mon-compte/"}
        )
        assert response.status_code == 302
        two_roles_user.refresh_from_db()
        assert two_roles_user.active_membership == editor
        html = client.get(response.url).content.decode()
        assert f'<option value="{editor.pk}" selected>' in html
        assert 'href="/cms/">Administration du site' in html

    def test_it_refuses_the_role_of_another_user(self, client, two_roles_user, national):
        before = two_roles_user.active_membership
        someone_else = national.memberships.get()
        response = logged_in(client, two_roles_user).post(
            reverse("accounts:switch_role"), {"membership": someone_else.pk}, follow=True
        )
        two_roles_user.refresh_from_db()
        assert two_roles_user.active_membership == before
        assert "Ce rôle n&#x27;est pas disponible." in response.content.decode()

    def test_a_get_switches_nothing_and_goes_to_the_account_page(self, client, two_roles_user):
        """Issue 11 item 11: a reloaded address shows the page holding the form, not a blank 405."""
        before = two_roles_user.active_membership_id
        response = logged_in(client, two_roles_user).get(reverse("accounts:switch_role"))
        assert response.status_code == 302 and response.url == reverse("accounts:account")
        two_roles_user.refresh_from_db()
        assert two_roles_user.active_membership_id == before


class TestLoginPages:
    def test_it_logs_in_from_the_login_page(self, client, prefect_agent):
        response = client.get(reverse("accounts:login") + "?next=/mon-compte/")
        html = response.content.decode()
        assert '<input type="hidden" name="next" value="/mon-compte/">' in html
        assert f'href="{reverse("accounts:password_reset")}"' in html
        assert "oidc" not in html
        response = client.post(
            reverse("accounts:login"), {"username": prefect_agent.email, "password": PASSWORD, "next": "/mon-compte/"}
        )
        assert response.status_code == 302
        assert response.url == "/mon-compte/"

    def test_it_summarises_the_errors_above_the_form(self, client, db):
        response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
        html = response.content.decode()
        assert response.status_code == 200
        assert '<div class="fr-alert fr-alert--error fr-mb-4w" id="erreurs" tabindex="-1">' in html
        assert "Le formulaire contient des erreurs" in html
        assert 'href="#id_username"' in html
        assert 'href="#id_password"' in html
        assert "<title>Erreur : Connexion — Conseiller numérique</title>" in html
        assert 'aria-invalid="true"' in html

    def test_it_lists_a_non_field_error(self, client, prefect_agent):
        response = client.post(reverse("accounts:login"), {"username": prefect_agent.email, "password": "mauvais"})
        assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()

    def test_it_explains_the_lock_out_after_too_many_failures(self, client, prefect_agent):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(reverse("accounts:login"), {"username": prefect_agent.email, "password": "mauvais"})
        assert response.status_code == 429
        html = response.content.decode()
        assert "Compte temporairement bloqué" in html
        assert "pendant 30 minutes" in html

    def test_it_says_goodbye_after_logout(self, db):
        html = get_template("registration/logged_out.html").render({}, RequestFactory().get("/"))
        assert "Vous êtes déconnecté" in html


class TestPasswordReset:
    def test_it_sends_a_french_email_with_a_working_link(self, client, prefect_agent):
        response = client.post(reverse("accounts:password_reset"), {"email": prefect_agent.email})
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == "Renouvellement de votre mot de passe Conseiller numérique"
        assert "Bonjour Paul," in message.body
        assert "L'équipe Conseiller numérique" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert '<html lang="fr">' in html
        link = re.search(r"http://testserver(/connexion/mot-de-passe/\S+/)", message.body).group(1)
        response = client.get(link, follow=True)
        assert "Choisir un nouveau mot de passe" in response.content.decode()
        response = client.post(
            response.redirect_chain[-1][0],
            {"new_password1": "un-nouveau-mot-de-passe", "new_password2": "un-nouveau-mot-de-passe"},
            follow=True,
        )
        assert "Mot de passe enregistré" in response.content.decode()

    def test_it_explains_an_invalid_link(self, client, db):
        response = client.get(
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"}), follow=True
        )
        assert "Lien invalide ou expiré" in response.content.decode()


class TestAccountPages:
    def test_it_lists_my_roles_with_the_active_one_and_the_withdrawn_ones(self, client, two_roles_user, national):
        editor = two_roles_user.memberships.get(role="editeur")
        services.membership_revoke(membership=editor, revoked_by=national)
        response = logged_in(client, two_roles_user).get(reverse("accounts:account"))
        html = response.content.decode()
        assert "<caption>Mes rôles (2)</caption>" in html
        assert '<p class="fr-badge fr-badge--success fr-badge--sm">Rôle actif</p>' in html
        assert 'class="cnum-row--revoked"' in html
        assert "Retiré le" in html

    def test_it_shows_an_invitation_page_and_an_invalid_link_page(self, client, db):
        response = client.get(reverse("accounts:invitation_accept", kwargs={"uidb64": "MQ", "token": "x-y"}))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Lien invalide ou expiré" in html
        assert reverse("accounts:password_reset") in html

    def test_it_renders_the_invitation_form(self, client, national, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.user_invite(
                email="nouvelle@paris.gouv.fr",
                first_name="Nina",
                last_name="Nouvelle",
                role="editeur",
                invited_by=national,
            )
        message = mail.outbox[-1]
        assert "Éditeur du site" in message.body
        assert "14 jours" in message.body
        assert "Nadia Admin vous invite" in message.body
        assert "Éditeur du site" in message.alternatives[0][0]
        url = re.search(r"http://testserver(/invitation/\S+/)", message.body).group(1)
        html = client.get(url).content.decode()
        assert "Activer mon compte" in html
        assert "nouvelle@paris.gouv.fr" in html

    def test_it_tells_an_existing_user_about_a_new_role(
        self, prefect_agent, national, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.user_invite(
                email=prefect_agent.email, first_name="Paul", last_name="Agent", role="editeur", invited_by=national
            )
        message = mail.outbox[-1]
        assert "Éditeur du site" in message.body
        assert "Rôle actif" in message.body
        assert "Rôle actif" in message.alternatives[0][0]


class TestUserManagementPages:
    def test_it_lists_users_with_a_caption_and_paginates_keeping_the_filters(self, client, national):
        for number in range(30):
            User.objects.create_user(email=f"agent{number:02}@exemple.gouv.fr", last_name=f"Agent {number:02}")
        response = logged_in(client, national).get(reverse("accounts:user_list"), {"q": "agent", "page": 1})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<caption>30 utilisateurs</caption>" in html
        assert 'class="fr-pagination' in html
        assert 'href="?q=agent&amp;page=2"' in html
        assert f'href="{reverse("accounts:user_invite")}"' in html
        assert "Invitation en attente" in html

    def test_it_renders_the_invite_form(self, client, national):
        html = logged_in(client, national).get(reverse("accounts:user_invite")).content.decode()
        for name in ["email", "first_name", "last_name", "role", "department", "region", "hub", "structure_siret"]:
            assert f'name="{name}"' in html
        response = client.post(reverse("accounts:user_invite"), {"role": "prefecture"})
        assert 'id="erreurs"' in response.content.decode()

    def test_it_shows_a_user_and_revokes_a_role_with_a_post_button(self, client, national, two_roles_user):
        client = logged_in(client, national)
        response = client.get(reverse("accounts:user_detail", args=[two_roles_user.pk]))
        html = response.content.decode()
        editor = two_roles_user.memberships.get(role="editeur")
        revoke_url = reverse("accounts:membership_revoke", args=[two_roles_user.pk, editor.pk])
        assert f'<form method="post" action="{revoke_url}">' in html
        assert "Attribuer un rôle" in html
        response = client.post(revoke_url, follow=True)
        assert "Rôle retiré." in response.content.decode()
        editor.refresh_from_db()
        assert editor.revoked_at is not None

    def test_it_shows_and_filters_the_audit_log(self, client, national, two_roles_user):
        response = logged_in(client, national).get(reverse("accounts:audit_log"), {"action": "membership_granted"})
        html = response.content.decode()
        assert response.status_code == 200
        count = AuditEvent.objects.filter(action="membership_granted").count()
        assert f"<caption>{count} événements, du plus récent au plus ancien</caption>" in html
        assert '<option value="membership_granted" selected>Rôle attribué</option>' in html
