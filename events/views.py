from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import member_page_cache, staff_required
from core.models import User
from core.selectors import user_has_staff_power
from events.exceptions import BoardError
from events.forms import MeetingRoomForm, MuteForm
from events.models import Room
from events.page_versions import ROOMS_VERSION_KEY
from events.selectors import (
    message_payload,
    messages_before,
    room_access,
    room_active_mutes,
    room_moderation_log,
)
from events.services import (
    room_create_meeting,
    room_for_slug,
    room_list_for_user,
    room_mark_read,
    room_set_archived,
    user_mute,
    user_unmute,
)

PAGE = 50
LOG_PAGE = 50


@login_required
def room_list(request):
    rooms = room_list_for_user(user=request.user)
    return render(
        request,
        "events/room_list.html",
        {"rooms": rooms, "may_create": user_has_staff_power(user=request.user)},
    )


def _room_or_404(request, slug: str):
    room = room_for_slug(slug=slug)
    if room is None:
        raise Http404
    access = room_access(user=request.user, room=room)
    if not access.read:
        raise PermissionDenied
    return room, access


# events/_message.html rendered blank into the room's <template>: board.js clones it for every
# message that arrives live, so a live message and a rendered one share one markup.
MESSAGE_TEMPLATE = {
    "id": "",
    "author": {"id": "", "name": "", "municipality": ""},
    "nonce": "",
    "created": "",
    "edited": None,
    "body_html": "",
}


def _strings() -> dict:
    return {
        "connecting": _("Connecting …"),
        "connected": _("Connected: new messages appear here by themselves."),
        "offline": _("No connection. Your messages are kept and sent as soon as it is back."),
        "retry": _("Connection lost. Next attempt in %(seconds)s s."),
        "refused": _("You can no longer take part in this room. Please reload the page."),
        "sending": _("being sent …"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "confirm_delete": _("Delete this message?"),
        "typing_one": _("%(name)s is typing …"),
        "typing_many": _("%(names)s are typing …"),
        "new_one": _("New message from %(name)s: %(text)s"),
        "new_many": _("%(count)s new messages."),
        "nobody": _("Nobody else is online."),
        "too_long": _("A message may have at most 4000 characters."),
        "empty": _("Please write a message first."),
        "no_more": _("There are no older messages."),
        "edit_label": _("Edit message"),
        "deleted": _("A message has been deleted."),
        # Live messages show their time as the server renders it (_message.html): this
        # language's format, in the site's time zone, whatever the browser's zone.
        "datetime_format": get_format("SHORT_DATETIME_FORMAT"),
        "time_zone": timezone.get_current_timezone_name(),
    }


@lru_cache(maxsize=8)
def _chrome(language: str, time_zone: str) -> dict:
    """What every room page has the same in one language: the script's strings as a JSON script
    element and the blank message for live ones. Made once per language and process (the
    translations and formats do not change while it runs), not on every request."""
    return {
        "strings_json": json_script(_strings(), "board-strings"),
        "message_template_html": render_to_string(
            "events/_message.html", {"m": MESSAGE_TEMPLATE, "blank": True}
        ),
    }


@member_page_cache(versions=(ROOMS_VERSION_KEY,))
@login_required
def room_detail(request, slug: str):
    room, access = _room_or_404(request, slug)
    # Before reading: the page's first `sync` asks for edits and deletions after this moment.
    synced_at = timezone.now()
    rows, has_more = messages_before(room=room, before=None, limit=PAGE)
    if rows:
        room_mark_read(user_id=request.user.pk, room_id=room.pk, message_id=rows[-1].pk)
    return render(
        request,
        "events/room_detail.html",
        {
            "room": room,
            "access": access,
            "board_messages": [
                message_payload(message=m, reader_id=request.user.pk) | {"obj": m} for m in rows
            ],
            "has_more": has_more,
            "last_id": rows[-1].pk if rows else 0,
            "first_id": rows[0].pk if rows else 0,
            "synced_at": synced_at.isoformat(),
            **_chrome(get_language(), timezone.get_current_timezone_name()),
        },
    )


@staff_required
def room_create(request):
    form = MeetingRoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = room_create_meeting(
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                members=form.cleaned_data["members"],
            )
        except BoardError as exc:
            form.add_error("title", str(exc.message))
        else:
            messages.success(request, _("The room has been created."))
            return redirect("events:room_detail", slug=room.slug)
    return render(request, "events/room_form.html", {"form": form})


def _moderated_room(request, slug: str):
    room, access = _room_or_404(request, slug)
    if not access.moderate:
        raise PermissionDenied
    return room


def _moderation_page(request, room: Room, mute_form: MuteForm, status: int = 200):
    """Running mutes, the mute form and the moderation log (newest first, LOG_PAGE a page)."""
    log = Paginator(room_moderation_log(room=room), LOG_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "events/room_moderation.html",
        {
            "room": room,
            "mutes": room_active_mutes(room=room),
            "page": log,
            "mute_form": mute_form,
        },
        status=status,
    )


@staff_required
def room_moderation(request, slug: str):
    return _moderation_page(request, _moderated_room(request, slug), MuteForm())


@staff_required
@require_POST
def room_archive(request, slug: str):
    room = _moderated_room(request, slug)
    archived = request.POST.get("archived") == "1"
    room_set_archived(room=room, by=request.user, archived=archived)
    messages.success(
        request, _("The room is archived.") if archived else _("The room is open again.")
    )
    return redirect("events:room_moderation", slug=room.slug)


@staff_required
@require_POST
def room_mute(request, slug: str):
    room = _moderated_room(request, slug)
    form = MuteForm(request.POST)
    if form.is_valid():
        try:
            user_mute(
                room=room,
                by=request.user,
                user=form.cleaned_data["email"],
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["reason"],
            )
        except BoardError as exc:
            form.add_error("email", str(exc.message))
        else:
            messages.success(request, _("The person is muted in this room."))
            return redirect("events:room_moderation", slug=room.slug)
    return _moderation_page(request, room, form, status=400)


@staff_required
@require_POST
def room_unmute(request, slug: str, user_id: int):
    room = _moderated_room(request, slug)
    user = get_object_or_404(User, pk=user_id)
    user_unmute(room=room, by=request.user, user=user)
    messages.success(request, _("The mute has been lifted."))
    return redirect("events:room_moderation", slug=room.slug)
