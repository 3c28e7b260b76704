"""Practice example pages: the filterable list, detail, writing, submitting and the review."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import staff_required
from network.forum_exceptions import NetworkError, NotAllowed
from network.forum_forms import PracticeExampleForm, PracticeFilterForm, ReviewForm
from network.models import ExampleStatus
from network.selectors import practice as sel
from network.services import practice as svc
from network.views.forums import _file_response


def _example_or_404(request, pk):
    example = sel.example_by_id(example_id=pk)
    if example is None or not sel.user_may_view_example(user=request.user, example=example):
        raise Http404
    return example


def example_list(request):
    """Open to everyone: the public sees the examples published for the public."""
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
    return render(
        request,
        "network/practice/example_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_write": sel.user_may_write_examples(user=request.user),
            "may_review": sel.user_may_review_examples(user=request.user),
        },
    )


def example_detail(request, pk):
    example = _example_or_404(request, pk)
    return render(
        request,
        "network/practice/example_detail.html",
        {
            "example": example,
            "may_edit": sel.user_may_edit_example(user=request.user, example=example)
            and example.status != ExampleStatus.PUBLISHED,
            "may_review": sel.user_may_review_examples(user=request.user)
            and example.status == ExampleStatus.SUBMITTED,
        },
    )


def _form_data(example) -> dict:
    data = {name: getattr(example, name) for name in svc.TEXT_FIELDS}
    data["contact_consent"] = example.contact_consent
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
    form = PracticeExampleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            example = svc.practice_example_save(
                author=request.user,
                data=form.cleaned_data,
                example=example,
                files=form.cleaned_data["attachments"],
            )
            if request.POST.get("submit") == "1":
                svc.practice_example_submit(example=example, by=request.user)
                messages.success(
                    request,
                    _("Thank you. The practice example was submitted for review."),
                )
            else:
                messages.success(request, _("The draft was saved."))
        except NotAllowed as error:
            raise PermissionDenied from error
        except NetworkError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("network:practice_detail", pk=example.pk)
    return render(request, "network/practice/example_form.html", {"form": form, "example": example})


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
        svc.practice_example_submit(example=example, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied from error
    except NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. The practice example was submitted for review."))
    return redirect("network:practice_detail", pk=example.pk)


def my_examples(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not sel.user_may_write_examples(user=request.user):
        raise PermissionDenied
    return render(
        request,
        "network/practice/my_examples.html",
        {"examples": sel.examples_of_user_municipality(user=request.user)},
    )


@staff_required
def review_queue(request):
    return render(
        request, "network/practice/review_queue.html", {"examples": sel.examples_for_review()}
    )


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
    return render(
        request, "network/practice/example_review.html", {"example": example, "form": form}
    )


def attachment_download(request, pk):
    attachment = sel.practice_attachment_by_id(attachment_id=pk)
    if attachment is None or not sel.user_may_view_example(
        user=request.user, example=attachment.example
    ):
        raise Http404
    return _file_response(attachment)
