"""Followed people on the activity form: the search that the picker's script calls (names only, mine only)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from accounts.decorators import coop_required
from reporting.forms_people import SEARCH_RESULTS, search_people


@coop_required
@require_GET
def beneficiary_search(request):
    """Up to 20 of my followed people matching ?q= (first or last name), as [{"id", "name"}]; never cached."""
    query = request.GET.get("q", "").strip()[:100]
    people = search_people(request.advisor.pk, query, limit=SEARCH_RESULTS) if query else []
    response = JsonResponse({"results": [{"id": person.pk, "name": str(person)} for person in people]})
    response["Cache-Control"] = "private, no-store"
    return response
