from django.urls import include, path

from network.views import directory, membership, municipality_import

# The forums and the practice examples add their pages to this namespace, under /netzwerk/ as
# always: their names stay "network:topic", "network:practice_detail" and so on.
app_name = "network"

urlpatterns = [
    path("", membership.home, name="home"),
    # Memberships and invitations
    path("beitreten/", membership.join, name="join"),
    path("beitreten/zurueckziehen/", membership.withdraw, name="withdraw"),
    path("kommune/", membership.municipality, name="municipality"),
    path("kommune/einladen/", membership.invite, name="invite"),
    path("mitgliedschaft/<int:pk>/annehmen/", membership.approve, name="approve"),
    path("mitgliedschaft/<int:pk>/ablehnen/", membership.decline, name="decline"),
    path("mitgliedschaft/<int:pk>/beenden/", membership.end, name="end"),
    path(
        "einladungen/<int:pk>/zurueckziehen/",
        membership.revoke_invitation,
        name="revoke_invitation",
    ),
    path("einladung/<str:token>/", membership.invitation, name="invitation"),
    path("anfragen/", membership.requests, name="requests"),
    # Directory
    path("verzeichnis/", directory.directory, name="directory"),
    # Landesjugendamt staff: the list of youth offices
    path(
        "verwaltung/kommunen/import/",
        municipality_import.municipality_import,
        name="municipality_import",
    ),
    path("", include("network.forums.urls")),
    path("", include("network.practice.urls")),
]
