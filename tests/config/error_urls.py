"""A view that fails while holding a request full of secrets and personal data (tests of error tracking)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config import urls as project_urls


@csrf_exempt
def failing_view(request):
    password = request.POST["password"]
    contact = request.POST["username"]
    raise ValueError(f"échec pour {contact}, rappeler le 06 12 34 56 78 (mot de passe de {len(password)} signes)")


urlpatterns = [path("echec/", failing_view), *project_urls.urlpatterns]
