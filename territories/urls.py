from django.urls import path

app_name = "territories"

urlpatterns: list[path] = []
