"""Practice example pages: the filterable list, detail, writing, submitting and the review."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import member_page_cache, staff_required
from network.attachments import attachment_response
from network.exceptions import NetworkError, NotAllowed
from network.practice import cache as practice_cache
from network.practice import selectors as sel
from network.practice import services as svc
from network.practice.exceptions import ExampleIncomplete
from network.practice.forms import ConfirmForm, PracticeExampleForm, PracticeFilterForm, ReviewForm
from network.practice.models import ExampleStatus
from network.selectors.memberships import user_is_coordinator, user_membership


def _example_or_404(request, pk):
    example = sel.example_by_id(example_id=pk)
    if example is None or not sel.user_may_view_example(user=request.user, example=example):
        raise Http404
    return example


def _listing(request) -> dict:
    """The filter form and the page of examples: asked only when the list's cached fragment is
    missing (practice/example_list.html)."""
    form = PracticeFilterForm(
        request.GET or None, municipalities=sel.practice_municipalities(user=request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    examples = sel.practice_examples_list(
        user=request.user,
        block=filters.get("baustein", ""),
        phase=filters.get("lebensphase", ""),
        region=filters.get("region", ""),
        municipality=filters.get("kommune", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(examples, sel.EXAMPLES_PER_PAGE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@member_page_cache
def example_list(request):
    """Open to everyone: the public sees the examples published for the public. The list is the
    same for every member (and another for everyone else): it is cached under the version of
    the examples and municipalities (network.practice.cache), the language and the query."""
    return render(
        request,
        "practice/example_list.html",
        {
            "listing": SimpleLazyObject(lambda: _listing(request)),
            "list_version": practice_cache.list_version(),
            "list_ttl": practice_cache.LIST_TTL,
            "audience": sel.published_audience(user=request.user),
            "may_write": sel.user_may_write_examples(user=request.user),
            "is_coordinator": user_is_coordinator(user=request.user),
            "may_review": sel.user_may_review_examples(user=request.user),
        },
    )


def example_detail(request, pk):
    example = _example_or_404(request, pk)
    return render(
        request,
        "practice/example_detail.html",
        {
            "example": example,
            "may_edit": sel.user_may_edit_example(user=request.user, example=example)
            and example.status != ExampleStatus.PUBLISHED,
            "may_review": sel.user_may_review_examples(user=request.user)
            and example.status == ExampleStatus.SUBMITTED,
            "may_confirm": sel.user_may_confirm_example(user=request.user, example=example),
        },
    )


def _form_data(example) -> dict:
    data = {name: getattr(example, name) for name in svc.TEXT_FIELDS}
    data["contact"] = example.contact_id
    data["blocks"] = [b.block for b in example.blocks.all()]
    data["phases"] = [p.phase for p in example.phases.all()]
    return data


def _save(request, example=None):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if example is None and not sel.user_may_write_examples(user=request.user):
        raise PermissionDenied
    if example is not None and not sel.user_may_edit_example(user=request.user, example=example):
        raise PermissionDenied
    initial = _form_data(example) if example else {}
    town = example.municipality if example else user_membership(user=request.user).municipality
    form = PracticeExampleForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        contacts=sel.contact_candidates(municipality=town),
        needed_to_submit=svc.SUBMISSION_FIELDS,
    )
    submitting = request.POST.get("submit") == "1"
    if request.method == "POST" and form.is_valid():
        missing = svc.missing_for_submission(data=form.cleaned_data) if submitting else []
        if missing:
            # Nothing is saved: a saved draft would leave the form's address on "new", and the
            # next try would write a second example.
            form.add_error(None, ExampleIncomplete.message)
            for name in missing:
                form.add_error(name, _("Needed to submit the practice example."))
        else:
            try:
                with transaction.atomic():  # a refused submission keeps no half-saved draft
                    saved = svc.practice_example_save(
                        author=request.user,
                        data=form.cleaned_data,
                        example=example,
                        files=form.cleaned_data["attachments"],
                    )
                    if submitting:
                        saved = svc.practice_example_submit(example=saved, by=request.user)
            except NotAllowed as error:
                raise PermissionDenied from error
            except NetworkError as error:
                form.add_error(None, str(error.message))
            else:
                if submitting:
                    messages.success(request, _submitted_message(saved))
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("network:practice_detail", pk=saved.pk)
    return render(request, "practice/example_form.html", {"form": form, "example": example})


def _submitted_message(example) -> str:
    if example.status == ExampleStatus.AWAITING_CONFIRMATION:
        return _(
            "Thank you. The practice example was submitted: your coordination confirms it, then "
            "the Landesjugendamt reviews it."
        )
    return _("Thank you. The practice example was submitted for review.")


def example_create(request):
    return _save(request)


def example_edit(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _save(request, _example_or_404(request, pk))


@require_POST
def example_submit(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    example = _example_or_404(request, pk)
    try:
        example = svc.practice_example_submit(example=example, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied from error
    except NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _submitted_message(example))
    return redirect("network:practice_detail", pk=example.pk)


def my_examples(request):
    """The member's own examples and their state; for coordinators also the municipality's
    unpublished ones and how many wait for their confirmation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not sel.user_may_write_examples(user=request.user):
        raise PermissionDenied
    coordinator = user_is_coordinator(user=request.user)
    return render(
        request,
        "practice/my_examples.html",
        {
            "own": list(sel.examples_of_author(user=request.user)),
            "municipality_examples": list(sel.examples_of_user_municipality(user=request.user))
            if coordinator
            else None,
            "to_confirm_count": sel.examples_to_confirm(user=request.user).count()
            if coordinator
            else 0,
        },
    )


def _coordinator_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_is_coordinator(user=request.user):
        raise PermissionDenied
    return None


def confirm_queue(request):
    """ "Zu bestätigen": what members of the coordinator's municipality submitted."""
    refused = _coordinator_only(request)
    if refused:
        return refused
    return render(
        request,
        "practice/confirm_queue.html",
        {"examples": list(sel.examples_to_confirm(user=request.user))},
    )


def example_confirm(request, pk):
    refused = _coordinator_only(request)
    if refused:
        return refused
    example = _example_or_404(request, pk)
    if not sel.user_may_confirm_example(user=request.user, example=example):
        raise Http404
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            svc.practice_example_confirm(
                example=example, by=request.user, confirm=confirm, note=form.cleaned_data["note"]
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except NetworkError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Confirmed. The Landesjugendamt reviews the example next.")
                if confirm
                else _("The example was sent back to the author with your note."),
            )
            return redirect("network:practice_confirm_queue")
    return render(request, "practice/example_confirm.html", {"example": example, "form": form})


def contact_requests(request):
    """The practice examples that name the user as contact person: they agree, decline or
    withdraw here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "practice/contact_requests.html",
        {"examples": list(sel.contact_requests_of(user=request.user))},
    )


@require_POST
def contact_answer(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    example = sel.contact_request_by_id(user=request.user, example_id=pk)
    if example is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("yes", "no"):
        messages.error(request, _("Please choose whether you agree. Nothing was changed."))
        return redirect("network:practice_contact_requests")
    try:
        svc.practice_contact_answer(example=example, user=request.user, consent=decision == "yes")
    except NotAllowed as error:
        raise Http404 from error
    if decision == "yes":
        messages.success(
            request, _("Thank you. Your name and e-mail address are shown with the example.")
        )
    else:
        messages.success(
            request, _("You are no longer named with the example; your address is not shown.")
        )
    return redirect("network:practice_contact_requests")


@staff_required
def review_queue(request):
    return render(request, "practice/review_queue.html", {"examples": sel.examples_for_review()})


@staff_required
def example_review(request, pk):
    example = sel.example_by_id(example_id=pk)
    if example is None or example.status != ExampleStatus.SUBMITTED:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.practice_example_review(
                example=example,
                by=request.user,
                publish=form.cleaned_data["decision"] == "publish",
                audience=form.cleaned_data["audience"],
                note=form.cleaned_data["note"],
            )
        except NetworkError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your decision was saved and the author informed."))
            return redirect("network:practice_detail", pk=example.pk)
    return render(request, "practice/example_review.html", {"example": example, "form": form})


def attachment_download(request, pk):
    attachment = sel.practice_attachment_by_id(attachment_id=pk)
    if attachment is None or not sel.user_may_view_example(
        user=request.user, example=attachment.example
    ):
        raise Http404
    return attachment_response(attachment)
