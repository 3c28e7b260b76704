from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from network.cache import municipalities_changed
from network.exceptions import NetworkError
from network.models import Invitation, Membership, MembershipStatus, Municipality
from network.services.memberships import membership_approve, membership_decline


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "municipality_key",
        "cohort",
        "joined_year",
        "active",
        "is_demo",
    ]
    list_filter = ["region", "kind", "cohort", "active", "is_demo"]
    search_fields = ["name", "municipality_key"]
    prepopulated_fields = {"slug": ["name"]}

    # The practice examples' list shows the municipalities' names and regions (network.cache).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        municipalities_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        municipalities_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        municipalities_changed()


def _decide(modeladmin, request, queryset, service, done):
    count = 0
    for membership in queryset.filter(status=MembershipStatus.PENDING).select_related(
        "municipality", "user"
    ):
        try:
            service(membership=membership, by=request.user)
        except NetworkError as exc:
            modeladmin.message_user(request, f"{membership}: {exc.message}", messages.ERROR)
        else:
            count += 1
    modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.action(description=_("Approve the selected requests"))
def approve_requests(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, membership_approve, _("%(count)s approved."))


@admin.action(description=_("Decline the selected requests"))
def decline_requests(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, membership_decline, _("%(count)s declined."))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "status", "requested_at", "decided_at"]
    list_filter = ["status", "role", "municipality__region"]
    search_fields = ["user__email", "user__name", "municipality__name"]
    list_select_related = ["user", "municipality"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["requested_at", "decided_at", "decided_by", "ended_at"]
    actions = [approve_requests, decline_requests]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "municipality", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "municipality__region"]
    search_fields = ["email", "municipality__name"]
    list_select_related = ["municipality"]
    readonly_fields = ["token", "invited_by", "created_at", "accepted_at", "accepted_by"]
    fields = ["municipality", "email", "role", "expires_at", *readonly_fields]

    def has_add_permission(self, request):
        # Invitations are made on the municipality page, which sends the e-mail.
        return False
