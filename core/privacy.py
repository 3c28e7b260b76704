"""Personal data held by core: the user record itself."""

import json
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import OutgoingMail, User

RETENTION = [
    (
        _("Account (e-mail address, name, function, visibility settings)"),
        _("As long as the account exists; deleted when you delete your account."),
    ),
    (
        _("Log-in sessions"),
        _("Until you log out, at most two weeks."),
    ),
    (
        _("Second factor (authenticator app, recovery codes)"),
        _("Until you remove it or delete your account."),
    ),
    (
        _("E-mails the platform sends you (address, subject, text, attachments)"),
        format_lazy(
            _(
                "Until sent, then {days} days (to answer questions about them); deleted at once "
                "when you delete your account."
            ),
            days=settings.MAIL_RETENTION_DAYS,
        ),
    ),
    (
        _("Pages of your member area as your browser got them (a copy in the server's cache)"),
        format_lazy(
            _("At most {seconds} seconds, then the page is made anew."),
            seconds=settings.MEMBER_PAGE_CACHE_SECONDS,
        ),
    ),
]


def export(user: User) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "function": user.function,
            "landesjugendamt": user.landesjugendamt,
            "show_email_to_members": user.show_email_to_members,
            "show_function_to_members": user.show_function_to_members,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": a.created_at.isoformat()}
            for a in Authenticator.objects.filter(user=user)
        ],
        "emails": [
            {
                "to": mail.message.get("to", []),
                "subject": mail.subject,
                "text": mail.body,
                "status": mail.status,
                "created_at": mail.created_at.isoformat(),
                "sent_at": mail.sent_at.isoformat() if mail.sent_at else None,
            }
            for mail in _mails_to(user).order_by("created_at", "pk")
        ],
    }


def _mails_to(user: User):
    """The outbox's mails to any of the person's addresses (core.mail)."""
    from allauth.account.models import EmailAddress

    from core.mail import recipients_key

    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    holds = models.Q()
    for address in addresses:
        holds |= models.Q(recipients__contains=recipients_key(address))
    return OutgoingMail.objects.filter(holds)


def erase(user: User) -> None:
    """Remove the person from the account row but keep the row, so what they wrote stays readable
    for others under "ehemaliges Mitglied"."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    _mails_to(user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # Through the session engine, which forgets its cached copy too (cached_db).
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if _session_belongs_to(session.get_decoded(), user):
            session_store(session_key=session.session_key).delete()
    user.email = f"geloescht-{user.pk}@invalid.example"
    user.name = ""
    user.function = ""
    user.landesjugendamt = ""
    user.show_email_to_members = False
    user.show_function_to_members = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.password = make_password(None)
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _erase_log_entries(user)


def _session_belongs_to(data: dict, user: User) -> bool:
    """A session of the person: logged in, or half-way through allauth's login (the second-factor
    stage keeps the user's id and e-mail address), or holding the address some other way."""
    pk = str(user.pk)
    login_state = data.get("account_login") or {}
    if pk in (
        str(data.get("_auth_user_id")),
        str(data.get("account_authentication_methods_user")),
        str(login_state.get("user_pk")),
    ):
        return True
    return user.email.lower() in json.dumps(data, default=str).lower()


def _erase_log_entries(user: User) -> None:
    """The Django and Wagtail admin logs name the changed object by its str() (the person's
    name) and may record changed field values; for the user row itself, blank both."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    content_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=content_type, object_id=str(user.pk)).update(
        object_repr=str(user), change_message=""
    )
    ModelLogEntry.objects.filter(content_type=content_type, object_id=str(user.pk)).update(
        label=str(user), data={}
    )


# --- words that name the person ---------------------------------------------------------------
# Her name, e-mail address and @handle are copied into other rows: the title of a topic she
# opened and the notifications that quote it, quotes and mentions in others' posts and board
# messages, a practice example naming her as contact. Deleting the account replaces them
# wherever they stand (core.services.account_delete collects the words before any app erases,
# then each privacy module's forget(words=...) goes through the text it holds).


def words(user: User) -> set[str]:
    """The words that name the person in core: name and e-mail address (each app adds its own,
    such as the forums' @handle)."""
    return {user.name, user.email}


def replacement() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("former member"))


def words_pattern(words) -> re.Pattern | None:
    """Whole words only ("Ute" never inside "Beute"), case-insensitive, longest first (the full
    name before a part of it); None when there is nothing long enough to look for."""
    usable = sorted({w.strip() for w in words if w and len(w.strip()) >= 3}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile(
        r"(?<![\w@])(?:" + "|".join(re.escape(w) for w in usable) + r")(?![\w-])", re.IGNORECASE
    )


def forget_words(
    *,
    words,
    model,
    fields: list[str],
    rendered: dict | None = None,
    render=None,
    save=False,
) -> int:
    """Replace `words` with „ehemaliges Mitglied“ in `fields` of every row of `model` that holds
    one. `rendered` maps a Markdown field to its stored HTML, rendered again from the new text
    by `render(row, text)` (default: the plain Markdown renderer; an app whose text links
    @mentions passes its own, so the other people's mentions stay links).
    save=True saves row by row (so a model's post_save hooks, such as cache invalidation, run);
    otherwise one bulk update. Returns the number of rows changed."""
    from core.markdown import render_markdown

    render = render or (lambda _row, text: render_markdown(text))

    pattern = words_pattern(words)
    if pattern is None:
        return 0
    rendered = rendered or {}
    usable = [w for w in words if w and len(w.strip()) >= 3]
    holds = models.Q()
    for field in fields:
        for word in usable:
            holds |= models.Q(**{f"{field}__icontains": word.strip()})
    new = replacement()
    changed = []
    for row in model._default_manager.filter(holds).only("pk", *fields, *rendered.values()):
        touched = False
        for field in fields:
            value = getattr(row, field)
            text = pattern.sub(new, value)
            if text == value:
                continue
            limit = model._meta.get_field(field).max_length
            if limit and isinstance(model._meta.get_field(field), models.CharField):
                text = text[:limit]
            setattr(row, field, text)
            if field in rendered:
                setattr(row, rendered[field], render(row, text))
            touched = True
        if touched:
            changed.append(row)
    update = [*fields, *rendered.values()]
    if save:
        for row in changed:
            row.save(update_fields=update)
    elif changed:
        model._default_manager.bulk_update(changed, update, batch_size=500)
    return len(changed)


def forget(*, words) -> None:
    """The admin logs may name the person in what they say about other objects too."""
    from django.contrib.admin.models import LogEntry
    from wagtail.models import ModelLogEntry, PageLogEntry

    forget_words(words=words, model=LogEntry, fields=["object_repr", "change_message"])
    forget_words(words=words, model=ModelLogEntry, fields=["label"])
    forget_words(words=words, model=PageLogEntry, fields=["label"])
    # Mails to others that quote the person (a notification of her post) until they are purged.
    forget_words(words=words, model=OutgoingMail, fields=["subject", "body", "html"])
