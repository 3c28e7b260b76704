"""The forums' and notifications' pages; included by network.urls into its namespace."""

from django.urls import path

from network.forums.views import categories, moderation, notifications, posts, topics

urlpatterns = [
    path("foren/", categories.category_list, name="forum"),
    path("foren/<slug:slug>/", categories.category_detail, name="forum_category"),
    path("foren/<slug:slug>/neu/", topics.topic_create, name="topic_create"),
    path("foren/<slug:slug>/beobachten/", categories.category_watch, name="category_watch"),
    path(
        "foren/<slug:slug>/erwaehnen/", categories.mention_suggestions, name="mention_suggestions"
    ),
    path("mitglieder/<slug:handle>/", categories.member_profile, name="member"),
    path("thema/<int:pk>/", topics.topic_detail, name="topic"),
    path("thema/<int:pk>/ungelesen/", topics.topic_unread, name="topic_unread"),
    path("thema/<int:pk>/antworten/", topics.topic_reply, name="topic_reply"),
    path("thema/<int:pk>/beobachten/", topics.topic_watch, name="topic_watch"),
    path("thema/<int:pk>/moderieren/", moderation.topic_moderate, name="topic_moderate"),
    path("beitrag/<int:pk>/", topics.post_jump, name="post_jump"),
    path("beitrag/<int:pk>/bearbeiten/", posts.post_edit, name="post_edit"),
    path("beitrag/<int:pk>/loeschen/", posts.post_delete, name="post_delete"),
    path("beitrag/<int:pk>/hilfreich/", posts.post_helpful, name="post_helpful"),
    path("beitrag/<int:pk>/beste-antwort/", posts.post_best_answer, name="post_best_answer"),
    path("beitrag/<int:pk>/melden/", posts.post_report, name="post_report"),
    path("beitrag/<int:pk>/versionen/", posts.post_revisions, name="post_revisions"),
    path("beitrag/<int:pk>/ausblenden/", moderation.post_hide, name="post_hide"),
    path("anhang/<int:pk>/", posts.attachment_download, name="attachment"),
    path("moderation/", moderation.moderation_queue, name="moderation"),
    path("moderation/meldung/<int:pk>/", moderation.moderation_report, name="moderation_report"),
    path("moderation/beitrag/<int:pk>/", moderation.moderation_held, name="moderation_held"),
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
