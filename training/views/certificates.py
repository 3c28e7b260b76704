"""Certificates: a participant's PDF, and the public check of a certificate number."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.ratelimit import client_ip, rate_limit_exceeded
from training.certificates import certificate_pdf_bytes
from training.models import Certificate, RegistrationStatus
from training.selectors import certificate_lookup, registration_valid_certificate
from training.views.registrations import managed_registration

# Public certificate look-ups per client address and minute (certificate_verify).
VERIFY_LIMIT = 20


def certificate_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        certificate_pdf_bytes(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="teilnahmebescheinigung-{certificate.number}.pdf"'
    )
    return response


@login_required
def certificate_pdf(request, pk: int):
    """The valid certificate of a registration, for whoever may manage the registration."""
    registration = managed_registration(request, pk)
    if registration.status != RegistrationStatus.ATTENDED:
        raise Http404
    certificate = registration_valid_certificate(registration=registration)
    if certificate is None:
        raise Http404
    return certificate_response(certificate)


@never_cache
def certificate_verify(request):
    """Public: anyone may check a number, but only VERIFY_LIMIT look-ups a minute from one
    address, so nobody walks through the numbers (and the names they reveal). Never kept by the
    anonymous page cache: each look-up counts, and a revocation shows at once."""
    number = request.GET.get("nummer", "").strip()
    if number and rate_limit_exceeded(
        action="certificate_verify", key=client_ip(request), limit=VERIFY_LIMIT, period=60
    ):
        return render(
            request,
            "training/certificate_verify.html",
            {"number": number[:32], "limited": True},
            status=429,
        )
    certificate = certificate_lookup(number=number) if number else None
    return render(
        request,
        "training/certificate_verify.html",
        {"number": number[:32], "checked": bool(number), "certificate": certificate},
    )
