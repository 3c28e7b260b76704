from django.contrib import admin

from events.models import Message, ModerationLogEntry, Mute, Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "region", "archived_at"]
    list_filter = ["kind", "region"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["course_date", "created_by"]
    filter_horizontal = ["members"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: moderators delete messages on the board, where it is logged."""

    list_display = ["id", "room", "author", "created_at", "edited_at", "deleted_at"]
    list_filter = ["room"]
    search_fields = ["body"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["user", "room", "until", "created_by"]
    raw_id_fields = ["user", "created_by"]

    def has_add_permission(self, request):
        return False  # through the room's moderation page, which logs it


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "room", "actor", "action", "target_user"]
    list_filter = ["action", "room"]
    readonly_fields = [f.name for f in ModerationLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
