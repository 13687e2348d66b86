"""Permission matrix: every URL pattern × every persona (and anonymous) × an object of each territory.

The expected statuses live in tests/hardening/matrix.py; a URL pattern without an entry fails the coverage test.
Run with `-s` to see the counts.
"""

import re
from collections import defaultdict

import pytest
from django.test import Client

from accounts import services as account_services
from accounts.models import Membership, User
from tests.hardening.matrix import ENTRIES, REVOCATIONS, routes
from tests.hardening.world import PERSONAS

pytestmark = pytest.mark.django_db


def entries_for(route: str) -> list:
    return [entry for entry in ENTRIES if entry.matches(route)]


class TestCoverage:
    def test_it_has_exactly_one_entry_for_every_url_pattern(self):
        all_routes = routes()
        missing = [route for route in all_routes if not entries_for(route)]
        ambiguous = [route for route in all_routes if len(entries_for(route)) > 1]
        assert not missing, "URL patterns without an entry in tests/hardening/matrix.py: " + ", ".join(missing)
        assert not ambiguous, "URL patterns matched by several entries: " + ", ".join(ambiguous)
        unused = [entry.route for entry in ENTRIES if not any(entry.matches(route) for route in all_routes)]
        assert not unused, "Entries that match no URL pattern (stale): " + ", ".join(unused)
        covered = sum(1 for route in all_routes if len(entries_for(route)) == 1)
        assert covered == len(all_routes)
        print(f"\npermission matrix: {covered}/{len(all_routes)} URL patterns covered (100%)")  # noqa: T201


def markers(world) -> dict[str, str]:
    """Strings only the other territory's objects carry: none may appear on a page of a non-national persona."""
    other = world.other
    return {
        "other_candidate_email": other.candidate.email,
        "other_structure_name": other.structure.name,
        "other_application_name": other.application.name,
        "other_advisor_name": other.advisor.last_name,
        "other_beneficiary_name": other.beneficiary.last_name,  # nobody but her advisor sees it (issue 15)
    }


def _client(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def _request(client, probe, world, persona):
    data = dict(probe.data)
    if data.get("membership") == "own":
        user = world.users[persona]
        data["membership"] = str(user.active_membership_id or 0) if user else "0"
    return getattr(client, probe.method)(probe.path, data)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_designed(world, persona, settings):
    """Each persona gets the designed status on each URL, with the object of each territory; never a 500."""
    settings.AXES_ENABLED = False
    client = _client(world, persona)
    secrets = markers(world)
    failures, counts = [], defaultdict(int)
    for entry in ENTRIES:
        for probe in entry.probes(world):
            if probe.path == "/deconnexion/":
                response = _request(_client(world, persona), probe, world, persona)
            else:
                response = _request(client, probe, world, persona)
            counts["requests"] += 1
            expected = entry.expected(persona, probe.side)
            if response.status_code != expected:
                failures.append(
                    f"{probe.method.upper()} {probe.path} [{probe.side}]: {response.status_code}, expected {expected}"
                )
                continue
            if response.status_code == 200 and entry.scoped and persona != "national":
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", errors="replace")
                leaked = [name for name, value in secrets.items() if value and value in text]
                if leaked:
                    failures.append(f"{probe.method.upper()} {probe.path}: shows {', '.join(leaked)}")
    print(f"\npermission matrix [{persona}]: {len(ENTRIES)} entries, {counts['requests']} requests")  # noqa: T201
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_the_leak_check_looks_for_strings_that_pages_really_show(world):
    """The markers are visible to a national admin: their absence elsewhere proves scoping, not a typo."""
    client = _client(world, "national")
    other = world.other
    pages = {
        "other_candidate_email": f"/espace/candidats/{other.candidate.pk}/",
        "other_structure_name": f"/annuaire/structures/{other.structure.pk}/",
        "other_application_name": "/espace/export/structures.csv",
        "other_advisor_name": f"/annuaire/conseillers/{other.advisor.pk}/",
    }
    secrets = markers(world)
    for name, path in pages.items():
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert secrets[name] in body.decode("utf-8"), f"{name} not shown on {path}"


@pytest.mark.parametrize("case", REVOCATIONS, ids=lambda case: case.label)
def test_item7_files_and_pages_close_once_the_role_is_revoked(world, case, settings):
    """Issue 11 item 7: an export file, a CV, a candidate page open while the role lasts, and close with it."""
    settings.AXES_ENABLED = False
    user = User.objects.get(pk=world.users[case.persona].pk)  # a fresh copy: the world's objects stay untouched
    membership = Membership.objects.get(pk=user.active_membership_id)
    if case.remaining is not None:
        account_services.membership_grant(user=user, granted_by=None, **case.remaining(world))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    path = case.path(world)
    assert client.get(path).status_code == 200, f"{case.label}: not open before the revocation"
    account_services.membership_revoke(membership=membership, revoked_by=None)
    response = client.get(path)
    assert response.status_code == case.revoked, f"{case.label}: {response.status_code}"
    assert "Passer au rôle" not in response.content.decode()  # a revoked role is never offered back


HUGE = str(2**70)


def _with_huge_parameters(route: str) -> list[str]:
    """The route with every parameter a huge number, then garbage for untyped ones; none for regex routes."""
    if "^" in route or "(?P" in route:
        return []
    path = re.sub(r"<int:\w+>", HUGE, route)
    return ["/" + re.sub(r"<(str:)?\w+>", value, path) for value in (HUGE, "x" + HUGE)]


@pytest.mark.parametrize("persona", ["anonymous", "national", "editor"])
def test_out_of_range_ids_answer_404_never_a_500(world, persona):
    """Ids beyond 64 bits in every parameterised URL (the database cannot even compare them)."""
    client = _client(world, persona)
    failures = []
    for route in routes():
        if "<" not in route:
            continue
        for path in _with_huge_parameters(route):
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"GET {path}: {response.status_code}")
    assert not failures, "\n".join(failures)


class TestRegressions:
    """500s the matrix and the fuzzers found, fixed in the app."""

    def test_a_wagtail_chooser_with_a_non_numeric_id_answers_404(self, world):
        client = _client(world, "editor")
        for path in ("/cms/documents/chooser/chosen/x1/", "/cms/snippets/choose/content/thematique/chosen/é/"):
            assert client.get(path).status_code == 404, path
        document = world.documents["public"]
        assert client.get(f"/cms/documents/chooser/chosen/{document.pk}/").status_code == 200

    def test_an_api_resource_id_beyond_64_bits_answers_404(self, world, client):
        response = client.get(f"/api/ressources/{HUGE}/")
        assert response.status_code == 404 and response.json() == {
            "statut": 404,
            "code": "introuvable",
            "message": "Introuvable.",
            "erreurs": [],
        }

    def test_a_nul_byte_in_the_api_search_is_ignored(self, world, client):
        for path in ("/api/ressources/?q=%00", "/api/ressources/facettes/?q=a%00b"):
            assert client.get(path).status_code == 200, path

    def test_wagtail_api_search_refuses_a_bad_operator_and_ignores_a_blank_query(self, world, client):
        response = client.get("/api/v2/pages/?search=atelier&search_operator=xor")
        assert response.status_code == 400 and "search_operator" in response.json()["message"]
        for endpoint in ("pages", "news", "resources", "images", "documents"):
            assert client.get(f"/api/v2/{endpoint}/?search=%20").status_code == 200, endpoint
