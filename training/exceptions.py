"""Domain errors of training: each carries the message a person reads (German through gettext)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class TrainingError(DomainError):
    message = _("The request could not be carried out.")


class NotAllowed(TrainingError):
    message = _("You are not allowed to do this.")


class OtherProvidersDate(NotAllowed):
    message = _(
        "This date belongs to the other Landesjugendamt. Its staff manage it; the administrators "
        "can grant you the right to manage it too."
    )


class NotEligible(TrainingError):
    message = _(
        "Only approved members of an active programme municipality and Landesjugendamt staff "
        "may register for courses."
    )


class NotYourMunicipality(TrainingError):
    message = _("You may only register staff of your own municipality.")


class AlreadyRegistered(TrainingError):
    message = _("This person is already registered for this date.")


class RegistrationNotOpen(TrainingError):
    message = _("Registration for this date has not opened yet.")


class RegistrationClosed(TrainingError):
    message = _("Registration for this date is closed.")


class CourseDateCancelled(TrainingError):
    message = _("This date has been cancelled.")


class CancellationDeadlinePassed(TrainingError):
    message = _(
        "The cancellation deadline has passed. Please contact the Landesjugendamt if you cannot "
        "attend."
    )


class NotLive(TrainingError):
    message = _("This registration has already been cancelled.")


class NotWaiting(TrainingError):
    message = _("This registration is not on the waiting list.")


class AttendanceTooEarly(TrainingError):
    message = _("Attendance can be marked once the date has begun.")


class TryAgain(TrainingError):
    message = _("Too many registrations at the same moment. Please try again.")


class NotesTooLong(TrainingError):
    message = _("The notes may be at most 1000 characters long.")


class CapacityBelowTaken(TrainingError):
    message = _(
        "The capacity cannot be lower than the seats already taken. Please cancel registrations "
        "first."
    )


class PromotedMeanwhile(NotWaiting):
    message = _(
        "A seat has become free for this registration in the meantime: the seat is confirmed "
        "and has been kept. Cancel the registration if the person cannot come."
    )


class CourseDateNotHeld(TrainingError):
    message = _("A date can be closed only after it has ended.")


class CourseDateAlreadyBegun(TrainingError):
    message = _("A date that has already begun can no longer be cancelled.")


class CourseDateClosed(TrainingError):
    message = _("This date has been closed.")


class NotThisDate(TrainingError):
    message = _("This registration does not belong to this date. Nothing has been changed.")


class NotADayOfTheDate(TrainingError):
    message = _("This day is not a day of this date. Nothing has been changed.")


class AttendanceDayTooEarly(TrainingError):
    message = _("Attendance for a day can be marked once that day has begun.")


class AttendanceChangedMeanwhile(TrainingError):
    message = _(
        "The attendance has changed since this page was loaded (or the form was sent twice). "
        "Nothing has been changed: please check the list and save again."
    )


class CertificateNotValid(TrainingError):
    message = _("This certificate has already been replaced or revoked.")


class CertificateHolderGone(TrainingError):
    message = _("The holder of this certificate has deleted their account.")


class NoSignatureList(TrainingError):
    message = _("A signature list is only made for dates that take place in person.")
