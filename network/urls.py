from django.urls import path

from network.views import membership

app_name = "network"

urlpatterns = [
    path("", membership.home, name="home"),
]
