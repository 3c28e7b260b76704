from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("mein-bereich/", views.dashboard, name="dashboard"),
    path("datenschutz/", views.privacy_notice, name="privacy"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
]
