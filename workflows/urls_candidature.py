"""Public applications of structures and candidates, and their follow-up links (/candidature/)."""

from django.urls import path

from workflows.views import public

app_name = "candidature"

urlpatterns = [
    path("structure/", public.structure_apply, name="structure"),
    path("structure/merci/", public.structure_thanks, name="structure_thanks"),
    path("structure/confirmer/<str:token>/", public.structure_confirm, name="structure_confirm"),
    path("structure/suivre/<str:token>/", public.structure_manage, name="structure_manage"),
    path("structure/suivre/<str:token>/pieces/<int:pk>/", public.structure_attachment, name="structure_attachment"),
    path("conseiller/", public.candidate_apply, name="candidate"),
    path("conseiller/merci/", public.candidate_thanks, name="candidate_thanks"),
    path("conseiller/confirmer/<str:token>/", public.candidate_confirm, name="candidate_confirm"),
    path("conseiller/gerer/<str:token>/", public.candidate_manage, name="candidate_manage"),
    path("conseiller/gerer/<str:token>/mes-donnees.json", public.candidate_data_download, name="candidate_data"),
    path("conseiller/gerer/<str:token>/mon-cv.pdf", public.candidate_cv_download, name="candidate_cv"),
    path("conseiller/gerer/<str:token>/pieces/<int:pk>/", public.candidate_attachment, name="candidate_attachment"),
]
