"""Forum categories and their moderators in the Wagtail admin, where Landesjugendamt staff also
edit the curriculum. The staff group's permissions come from migration 0004."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from core.models import User
from network.forums.models import ForumCategory, ForumModerator


class ForumCategoryViewSet(ModelViewSet):
    model = ForumCategory
    icon = "folder-open-inverse"
    menu_label = _("Forum categories")
    form_fields = ["name", "slug", "description", "visibility", "position", "hold_first_posts"]
    list_display = ["name", "visibility", "position"]
    list_filter = ["visibility"]
    search_fields = ["name", "description"]
    # The forum tables are not in Wagtail's search index: search them in the database.
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False


class ForumModeratorViewSet(ModelViewSet):
    model = ForumModerator
    icon = "group"
    menu_label = _("Forum moderators")
    form_fields = ["user", "category"]
    list_display = ["user", "category", "appointed_at"]
    list_filter = ["category"]
    search_fields = ["user__name", "user__email", "category__name"]
    search_backend_name = None
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "user":
            # Only people who still have an account can be appointed.
            kwargs["queryset"] = User.objects.filter(is_active=True, erased_at__isnull=True)
        if db_field.name == "category":
            kwargs["empty_label"] = _("all categories")
        return super().formfield_for_dbfield(db_field, **kwargs)


class ForumViewSetGroup(ModelViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = (ForumCategoryViewSet("forum_categories"), ForumModeratorViewSet("forum_moderators"))


@hooks.register("register_admin_viewset")
def register_viewset():
    return ForumViewSetGroup()
