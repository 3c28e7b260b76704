"""Staff see the outbox and the task results in Django's admin (/django-admin/), failed ones
first, and send or run them again from there."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core.mail import outgoing_mail_retry
from core.models import OutgoingMail


@admin.action(description=_("Send the selected e-mails again"))
def send_again(modeladmin, request, queryset):
    count = outgoing_mail_retry(mails=queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "created_at"
    actions = [send_again]
    fields = [
        "key",
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("to"))
    def to(self, obj: OutgoingMail) -> str:
        return ", ".join(obj.message.get("to", []))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.action(description=_("Run the selected failed tasks again"))
def run_again(modeladmin, request, queryset):
    count = 0
    for result in queryset.failed():
        task = result.task.using(run_after=None)
        task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d task enqueued again.", "%(count)d tasks enqueued again.", count)
        % {"count": count},
        messages.SUCCESS,
    )


# django-tasks-db's own admin lists the results read-only; staff may also run a failed task again.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    actions = [run_again]
