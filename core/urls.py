from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("mein-bereich/", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
    path("profil/meine-daten/", views.account_data_download, name="data_download"),
    path("profil/konto-loeschen/", views.account_delete_view, name="account_delete"),
    path("konto-geloescht/", views.account_deleted, name="account_deleted"),
    path("profil/zwei-faktor/weiter/", views.mfa_continue, name="mfa_continue"),
    path("datenschutz/", views.privacy_notice, name="privacy"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
]
