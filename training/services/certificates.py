"""Certificates of attendance: issued when attendance is recorded, re-issued under a new number
(the old one void, pointing at its successor) or revoked. Each new certificate mails its holder
in the transaction that creates it."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import Mail, enqueue_mails
from core.models import User
from training import exceptions
from training.models import Certificate, CertificateStatus, Registration, RegistrationStatus
from training.services.access import check_may_administer
from training.services.mail import registration_mail


def certificate_verify_url(number: str) -> str:
    """The public address that answers for a certificate number (printed and mailed)."""
    return f"{settings.SITE_URL}{reverse('training:certificate_verify')}?nummer={number}"


def _new_number(year: int) -> str:
    return f"KS-{year}-{secrets.token_hex(4).upper()}"


def certificate_mail(certificate: Certificate) -> Mail:
    mail = registration_mail(
        "certificate",
        certificate.registration,
        certificate=certificate,
        verify_url=certificate_verify_url(certificate.number),
    )
    mail.key = f"certificate-{certificate.number}"
    return mail


def certificate_issue(*, registration: Registration, by: User) -> Certificate:
    """A new valid certificate for an attended registration, and its mail. Runs inside the
    caller's transaction (attendance or re-issue), which holds the registration's row lock."""
    now = timezone.now()
    year = registration.course_date.start.year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=_new_number(year),
                    registration=registration,
                    course_date=registration.course_date,
                    issued_at=now,
                    issued_by=by,
                )
            break
        except IntegrityError:  # pragma: no cover - a 1 in 4 billion collision
            continue
    enqueue_mails([certificate_mail(certificate)])
    return certificate


def _locked_valid(certificate: Certificate) -> Certificate:
    current = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("registration__course_date", "registration__participant")
        .get(pk=certificate.pk)
    )
    if current.status != CertificateStatus.VALID:
        raise exceptions.CertificateNotValid
    return current


def certificate_reissue(*, certificate: Certificate, by: User) -> Certificate:
    """Staff replace a valid certificate (a corrected name, a lost number): a new number is
    issued and mailed, the old one becomes void and names its successor."""
    check_may_administer(course_date=certificate.course_date, by=by)
    with transaction.atomic():
        current = _locked_valid(certificate)
        if current.registration is None:
            raise exceptions.CertificateHolderGone
        if current.registration.status != RegistrationStatus.ATTENDED:
            raise exceptions.CertificateNotValid
        current.status = CertificateStatus.VOID
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = by
        current.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
        successor = certificate_issue(registration=current.registration, by=by)
        current.replaced_by = successor
        current.save(update_fields=["replaced_by"])
    return successor


def certificate_revoke(*, certificate: Certificate, by: User) -> Certificate:
    """Staff revoke a valid certificate (issued in error): the verification page says so, with
    the date. A new one comes only from recording the attendance again."""
    check_may_administer(course_date=certificate.course_date, by=by)
    with transaction.atomic():
        current = _locked_valid(certificate)
        _withdraw(current, by=by)
    return current


def _withdraw(certificate: Certificate, *, by: User) -> None:
    certificate.status = CertificateStatus.REVOKED
    certificate.withdrawn_at = timezone.now()
    certificate.withdrawn_by = by
    certificate.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])


def certificates_revoke_for(*, registration: Registration, by: User) -> list[Certificate]:
    """Attendance taken back: the registration's valid certificate is revoked (inside the
    caller's transaction)."""
    revoked = []
    for certificate in Certificate.objects.select_for_update().filter(
        registration=registration, status=CertificateStatus.VALID
    ):
        _withdraw(certificate, by=by)
        revoked.append(certificate)
    return revoked
