"""The forums' and notifications' pages; included by network.urls into its namespace."""

from django.urls import path

from network.forums.views import forums, notifications

urlpatterns = [
    path("foren/", forums.category_list, name="forum"),
    path("foren/<slug:slug>/", forums.category_detail, name="forum_category"),
    path("foren/<slug:slug>/neu/", forums.topic_create, name="topic_create"),
    path("foren/<slug:slug>/beobachten/", forums.category_watch, name="category_watch"),
    path("foren/<slug:slug>/erwaehnen/", forums.mention_suggestions, name="mention_suggestions"),
    path("mitglieder/<slug:handle>/", forums.member_profile, name="member"),
    path("thema/<int:pk>/", forums.topic_detail, name="topic"),
    path("thema/<int:pk>/ungelesen/", forums.topic_unread, name="topic_unread"),
    path("thema/<int:pk>/antworten/", forums.topic_reply, name="topic_reply"),
    path("thema/<int:pk>/beobachten/", forums.topic_watch, name="topic_watch"),
    path("thema/<int:pk>/moderieren/", forums.topic_moderate, name="topic_moderate"),
    path("beitrag/<int:pk>/", forums.post_jump, name="post_jump"),
    path("beitrag/<int:pk>/bearbeiten/", forums.post_edit, name="post_edit"),
    path("beitrag/<int:pk>/loeschen/", forums.post_delete, name="post_delete"),
    path("beitrag/<int:pk>/hilfreich/", forums.post_helpful, name="post_helpful"),
    path("beitrag/<int:pk>/beste-antwort/", forums.post_best_answer, name="post_best_answer"),
    path("beitrag/<int:pk>/melden/", forums.post_report, name="post_report"),
    path("beitrag/<int:pk>/versionen/", forums.post_revisions, name="post_revisions"),
    path("beitrag/<int:pk>/ausblenden/", forums.post_hide, name="post_hide"),
    path("anhang/<int:pk>/", forums.attachment_download, name="attachment"),
    path("moderation/", forums.moderation_queue, name="moderation"),
    path("moderation/meldung/<int:pk>/", forums.moderation_report, name="moderation_report"),
    path("moderation/beitrag/<int:pk>/", forums.moderation_held, name="moderation_held"),
    path("benachrichtigungen/", notifications.notification_list, name="notifications"),
    path(
        "benachrichtigungen/gelesen/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "benachrichtigungen/einstellungen/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("benachrichtigungen/<int:pk>/", notifications.notification_open, name="notification"),
]
