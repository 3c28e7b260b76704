from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import cache as page_cache
from cms.exceptions import ReaderCheckMissing
from cms.models import EasyLanguagePage
from cms.selectors import document_user_may_open
from network.practice.signals import practice_examples_changed


@hooks.register("before_serve_document", order=-100)
def check_course_material_access(document, request):
    """Every download of course material asks the one rule (cms.selectors, built on network's
    and training's selectors). Anonymous visitors are sent to the login, others refused."""
    allowed = document_user_may_open(user=request.user, document=document)
    if allowed is None or allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_serve_document")
def give_the_document_its_hash(document, request):
    """Wagtail's serve view sends the file's hash as the ETag. Documents saved outside the
    admin's upload form (load_demo, imports) have none, and an empty ETag would make every such
    document the same to a browser's cache; the first download computes and stores it."""
    if not document.file_hash:
        document.get_file_hash()


# Wagtail offers signals and nothing else for "a page was published": hook in here to forget the
# cached pages.
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _forget_cached_pages(sender, **kwargs):
    page_cache.content_changed()


@receiver(post_save, sender=get_document_model())
@receiver(post_delete, sender=get_document_model())
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _forget_cached_pages_on_document_change(sender, update_fields=None, **kwargs):
    # The file's hash stored on the first download changes nothing a page shows.
    if update_fields is not None and set(update_fields) == {"file_hash"}:
        return
    page_cache.content_changed()


@receiver(practice_examples_changed)
def _forget_cached_practice_examples(sender, **kwargs):
    page_cache.practice_changed()


@hooks.register("before_bulk_action")
def refuse_bulk_publish_without_reader_check(request, action_type, objects, action_class_instance):
    """The page listing's bulk "Publish" goes around the edit form that asks for the reader check
    of a page in Leichter Sprache: refuse the whole action with the form's message instead of
    letting EasyLanguagePage.publish() fail in the middle of it."""
    if action_type != "publish":
        return None
    unchecked = []
    for page in objects:
        if not isinstance(page.specific_deferred, EasyLanguagePage):
            continue
        revision = page.get_latest_revision()
        current = revision.as_object() if revision is not None else page.specific
        if not current.reader_check:
            unchecked.append(current.title)
    if not unchecked:
        return None
    messages.error(request, f"{ReaderCheckMissing.message} ({', '.join(unchecked)})")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "wagtailadmin_explore_root"
    return redirect(next_url)


@hooks.register("insert_editor_js")
def _label_rich_text_editors():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("cms/admin-draftail-labels.js"))
