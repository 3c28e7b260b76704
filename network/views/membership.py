"""Membership pages: the network home, joining, my municipality, invitations and the
Landesjugendamt's list of open requests. Rules live in network.services.memberships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import staff_required
from core.middleware import redirect_to_mfa_setup, staff_needs_mfa
from core.selectors import user_is_landesjugendamt_staff
from network.exceptions import (
    InvitationInvalid,
    InvitationWrongAccount,
    NetworkError,
    NotAllowed,
)
from network.forms.memberships import InvitationForm, JoinRequestForm
from network.models import Invitation, Membership, Region
from network.selectors.memberships import (
    invitation_by_token,
    membership_for_reader,
    membership_is_last_coordinator,
    municipality_members,
    municipality_open_invitations,
    municipality_pending_requests,
    pending_requests,
    user_is_coordinator,
    user_live_membership,
    user_may_manage_municipality,
    user_membership,
)
from network.services.memberships import (
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_end,
    membership_request,
    membership_withdraw,
)


def home(request):
    user = request.user
    context = {"membership": None, "is_coordinator": False, "pending_count": 0}
    if user.is_authenticated:
        membership = user_live_membership(user=user)
        context["membership"] = membership
        if membership and membership.is_approved and user_is_coordinator(user=user):
            context["is_coordinator"] = True
            context["pending_count"] = municipality_pending_requests(
                municipality=membership.municipality
            ).count()
    return render(request, "network/home.html", context)


@login_required
def join(request):
    """Ask to join a municipality, or see (and withdraw) the request already made."""
    membership = user_live_membership(user=request.user)
    if membership is not None:
        if membership.is_approved:
            return redirect("network:municipality")
        return render(request, "network/join.html", {"membership": membership})
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_request(
                user=request.user,
                municipality=form.cleaned_data["municipality"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent. You will get an e-mail as soon as the "
                    "coordination of %(municipality)s has decided."
                )
                % {"municipality": form.cleaned_data["municipality"].name},
            )
            return redirect("network:join")
    return render(request, "network/join.html", {"form": form})


@login_required
@require_POST
def withdraw(request):
    membership = user_live_membership(user=request.user)
    if membership is None or membership.is_approved:
        messages.error(request, _("You have no open request. Nothing was changed."))
        return redirect("network:join")
    try:
        membership_withdraw(membership=membership, by=request.user)
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("network:join")


@login_required
def municipality(request):
    """My municipality: its members; for coordinators also requests and invitations."""
    membership = user_membership(user=request.user)
    if membership is None:
        if user_is_landesjugendamt_staff(user=request.user):
            return redirect("network:requests")
        return redirect("network:join")
    town = membership.municipality
    may_manage = user_may_manage_municipality(user=request.user, municipality=town)
    context = {
        "membership": membership,
        "municipality": town,
        "members": list(municipality_members(municipality=town).order_by("user__name", "pk")),
        "may_manage": may_manage,
    }
    if may_manage:
        context["pending"] = list(municipality_pending_requests(municipality=town))
        context["invitations"] = list(municipality_open_invitations(municipality=town))
    return render(request, "network/municipality.html", context)


@login_required
def invite(request):
    membership = user_membership(user=request.user)
    if membership is None or not user_may_manage_municipality(
        user=request.user, municipality=membership.municipality
    ):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                municipality=membership.municipality,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s. It is valid for 14 days.")
                % {"email": invitation.email},
            )
            return redirect("network:municipality")
    return render(
        request, "network/invite.html", {"form": form, "municipality": membership.municipality}
    )


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _membership_or_404(request, pk: int) -> Membership:
    membership = membership_for_reader(user=request.user, membership_id=pk)
    if membership is None:
        raise Http404
    return membership


def _act_on_membership(request, pk: int, action, done_message: str):
    # Staff functions need a second factor; coordinators act without one. Asked before the
    # lookup: without it staff see no membership, and "not found" would not say what to do.
    if user_is_landesjugendamt_staff(user=request.user) and staff_needs_mfa(request):
        response = redirect_to_mfa_setup(request)
        # Back to the list afterwards: the action itself is a POST and is not repeated.
        request.session["mfa_setup_next"] = reverse("network:requests")
        return response
    membership = _membership_or_404(request, pk)
    try:
        action(membership=membership, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            done_message
            % {"name": membership.user.display_name, "municipality": membership.municipality.name},
        )
    return _back(request, reverse("network:municipality"))


@login_required
@require_POST
def approve(request, pk: int):
    return _act_on_membership(
        request, pk, membership_approve, _("%(name)s is now a member of %(municipality)s.")
    )


@login_required
@require_POST
def decline(request, pk: int):
    return _act_on_membership(
        request, pk, membership_decline, _("The request of %(name)s has been declined.")
    )


@login_required
def end(request, pk: int):
    """GET asks: whose membership, and what follows; only the POST ends it."""
    if request.method == "POST":
        return _act_on_membership(
            request, pk, membership_end, _("The membership of %(name)s has ended.")
        )
    membership = _membership_or_404(request, pk)
    own = membership.user_id == request.user.pk
    return render(
        request,
        "network/membership_end.html",
        {
            "item": membership,
            "own": own,
            "refused": own and membership_is_last_coordinator(membership=membership),
            "active": membership.is_approved,
        },
    )


@login_required
@require_POST
def revoke_invitation(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("municipality"), pk=pk)
    if not user_may_manage_municipality(user=request.user, municipality=invitation.municipality):
        raise Http404
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("network:municipality")


def invitation(request, token: str):
    """The link in an invitation e-mail. Visitors who are not logged in are sent to log in or
    sign up (the address is taken as verified: the link proves it) and come back here."""
    found = invitation_by_token(token=token)
    if found is None:
        return render(
            request,
            "network/invitation.html",
            {"error": InvitationInvalid.message},
            status=404,
        )
    if not request.user.is_authenticated:
        try:
            invitation_check(invitation=found)
        except InvitationInvalid as exc:
            return render(request, "network/invitation.html", {"error": exc.message}, status=410)
        request.session["account_verified_email"] = found.email
        messages.info(
            request,
            _(
                "Please log in, or sign up with the address %(email)s, to accept the invitation "
                "of %(municipality)s."
            )
            % {"email": found.email, "municipality": found.municipality.name},
        )
        return redirect_to_login(request.get_full_path())
    try:
        invitation_check(invitation=found, user=request.user)
    except InvitationInvalid as exc:
        status = 403 if isinstance(exc, InvitationWrongAccount) else 410
        return render(
            request,
            "network/invitation.html",
            {"error": exc.message, "invitation": found},
            status=status,
        )
    if request.method == "POST":
        try:
            invitation_accept(invitation=found, user=request.user)
        except NetworkError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(municipality)s.")
                % {"municipality": found.municipality.name},
            )
            return redirect("network:municipality")
    return render(
        request,
        "network/invitation.html",
        {"invitation": found, "membership": user_live_membership(user=request.user)},
    )


@staff_required
def requests(request):
    """Landesjugendamt staff: every pending request across municipalities."""
    region = request.GET.get("region", "")
    if region not in Region.values:
        region = ""
    return render(
        request,
        "network/requests.html",
        {
            "requests": list(pending_requests(region=region)),
            "region": region,
            "regions": Region.choices,
        },
    )
