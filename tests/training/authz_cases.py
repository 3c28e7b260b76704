"""Training URLs in the authorisation table: Köln's coordinator may not see, register, cancel or
export what belongs to Dortmund."""

from tests.authz import AuthzCase, World
from tests.factories import CourseDateFactory
from training.models import Registration


def _date(world: World):
    return world.get("training_date", lambda w: CourseDateFactory(capacity=5))


def _lvr_date(world: World):
    return world.get("training_lvr_date", lambda w: CourseDateFactory(course__provider="LVR"))


def _trained_date(world: World):
    """A date taught by Dortmund's Fachkraft (as a Trainer entry with a login), with Köln's
    Fachkraft registered."""

    def make(w: World):
        from training.models import Trainer

        course_date = CourseDateFactory()
        course_date.trainers.add(Trainer.objects.create(name="Referentin", user=w.dortmund_staff))
        Registration.objects.create(
            course_date=course_date,
            participant=w.koeln_staff,
            municipality=w.koeln,
            status="confirmed",
        )
        return course_date

    return world.get("training_trained_date", make)


def _dortmund_registration(world: World) -> Registration:
    def make(w: World) -> Registration:
        from training.services.registration import registration_create

        return registration_create(
            course_date=_date(w), participant=w.dortmund_staff, by=w.dortmund_coordinator
        )

    return world.get("training_dortmund_registration", make)


def _attended_registration(world: World) -> Registration:
    def make(w: World) -> Registration:
        from datetime import timedelta

        from django.utils import timezone

        from training.services.attendance import attendance_mark

        start = timezone.now() - timedelta(days=1)
        past = CourseDateFactory(start=start, end=start + timedelta(hours=3))
        registration = Registration.objects.create(
            course_date=past,
            participant=w.dortmund_staff,
            municipality=w.dortmund,
            status="confirmed",
        )
        return attendance_mark(registration=registration, by=w.lja_staff, attended=True)

    return world.get("training_attended", make)


def _certificate(world: World):
    from training.selectors import registration_valid_certificate

    return world.get(
        "training_certificate",
        lambda w: registration_valid_certificate(registration=_attended_registration(w)),
    )


def _certificate_still_valid(world: World) -> None:
    certificate = _certificate(world)
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def _attendance_unrecorded(world: World) -> None:
    from training.models import Attendance

    course_date_id = _dortmund_registration(world).course_date_id
    assert not Attendance.objects.filter(registration__course_date_id=course_date_id).exists()


def _still_live(world: World) -> None:
    registration = _dortmund_registration(world)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def _nobody_registered_for_dortmund(world: World) -> None:
    assert not Registration.objects.filter(
        course_date=_date(world), participant=world.dortmund_staff
    ).exists()


CASES = [
    # One's own registrations, certificates and calendar address: kept after a membership ends.
    AuthzCase(
        "training_my_training",
        lambda w: "/fortbildung/meine/",
        allowed="dortmund_staff",
        members_only=False,
    ),
    AuthzCase(
        "training_our_training",
        lambda w: "/fortbildung/kommune/",
        allowed="dortmund_coordinator",
    ),
    AuthzCase(
        "training_calendar",
        lambda w: "/fortbildung/kalender/",
        allowed="dortmund_staff",
        members_only=False,
    ),
    AuthzCase(
        "training_register_dortmund_staff",
        lambda w: f"/fortbildung/termine/{_date(w).pk}/anmelden/",
        method="post",
        data={},  # filled below: Köln's coordinator tries to register Dortmund's Fachkraft
        other_municipality=True,
        unchanged=_nobody_registered_for_dortmund,
        staff_power=True,
    ),
    AuthzCase(
        "training_cancel_dortmund_registration",
        lambda w: f"/fortbildung/anmeldungen/{_dortmund_registration(w).pk}/abmelden/",
        method="post",
        other_municipality=True,
        unchanged=_still_live,
        staff_power=True,
    ),
    AuthzCase(
        "training_leave_waiting_list_dortmund_registration",
        lambda w: f"/fortbildung/anmeldungen/{_dortmund_registration(w).pk}/warteliste-verlassen/",
        method="post",
        other_municipality=True,
        unchanged=_still_live,
    ),
    AuthzCase(
        "training_certificate_of_dortmund",
        lambda w: f"/fortbildung/anmeldungen/{_attended_registration(w).pk}/bescheinigung.pdf",
        other_municipality=True,
        allowed="dortmund_staff",
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_participants",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/teilnehmende/"
        ),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_export_csv",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/teilnehmende.csv"
        ),
        other_municipality=True,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_export_xlsx",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/teilnehmende.xlsx"
        ),
        other_municipality=True,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_cancel_date",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/absagen/"
        ),
        method="post",
        data={"confirm": "yes"},
        other_municipality=True,
        unchanged=_still_live,
        staff_power=True,
    ),
    AuthzCase(
        "training_wagtail_course_dates",
        # lja_staff is LVR's: they edit LVR's dates (LWL's only when granted, test_lifecycle).
        lambda w: f"/admin/course_dates/edit/{_lvr_date(w).pk}/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator",),
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_move",
        lambda w: (
            f"/fortbildung/verwaltung/anmeldungen/{_dortmund_registration(w).pk}/verschieben/"
        ),
        method="post",
        data={"position": "1"},
        other_municipality=True,
        staff_power=True,
        unchanged=_still_live,
    ),
    AuthzCase(
        "training_staff_attendance_everybody",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/teilnehmende/"
        ),
        method="post",
        data={"action": "all"},
        other_municipality=True,
        unchanged=_attendance_unrecorded,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_signature_list",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_dortmund_registration(w).course_date_id}/"
            "unterschriftenliste.pdf"
        ),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_pdf",
        lambda w: f"/fortbildung/verwaltung/bescheinigungen/{_certificate(w).pk}.pdf",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff",),
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_reissue",
        lambda w: f"/fortbildung/verwaltung/bescheinigungen/{_certificate(w).pk}/neu-ausstellen/",
        method="post",
        other_municipality=True,
        refused_to=("dortmund_staff",),
        unchanged=_certificate_still_valid,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_revoke",
        lambda w: f"/fortbildung/verwaltung/bescheinigungen/{_certificate(w).pk}/widerrufen/",
        method="post",
        data={"confirm": "yes"},
        other_municipality=True,
        refused_to=("dortmund_staff",),
        unchanged=_certificate_still_valid,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_reports",
        lambda w: "/fortbildung/verwaltung/berichte/",
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_matrix",
        lambda w: "/fortbildung/verwaltung/fehlende-module/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_matrix_xlsx",
        lambda w: "/fortbildung/verwaltung/fehlende-module.xlsx?kommune=dortmund",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    # A coordinator's matrix is always their own municipality's; members have none.
    AuthzCase(
        "training_coordinator_matrix",
        lambda w: "/fortbildung/kommune/fehlende-module/",
        allowed="dortmund_coordinator",
        refused_to=("dortmund_staff",),
    ),
    AuthzCase(
        "training_coordinator_matrix_xlsx",
        lambda w: "/fortbildung/kommune/fehlende-module.xlsx",
        allowed="dortmund_coordinator",
        refused_to=("dortmund_staff",),
    ),
]


# The register case posts Dortmund's Fachkraft as participant; the id is only known in the world,
# so the url callable stores it where the POST data is read from.
def _register_url(world: World) -> str:
    CASES[3].data["participants"] = world.dortmund_staff.pk
    return f"/fortbildung/termine/{_date(world).pk}/anmelden/"


CASES[3].url = _register_url


# The course administration's start page, the trainer's pages, and the rule that staff edit only
# their own Landesjugendamt's dates.
CASES += [
    AuthzCase(
        "training_staff_home",
        lambda w: "/fortbildung/verwaltung/",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff",),
        staff_power=True,
    ),
    AuthzCase(
        "training_trainer_dates",
        lambda w: (_trained_date(w), "/fortbildung/referent/")[1],
        other_municipality=True,
        allowed="dortmund_staff",
        refused_to=("dortmund_coordinator",),
    ),
    AuthzCase(
        "training_trainer_participants",
        lambda w: f"/fortbildung/referent/termine/{_trained_date(w).pk}/",
        other_municipality=True,
        allowed="dortmund_staff",
        refused_to=("dortmund_coordinator", "koeln_staff", "lja_staff"),
    ),
    AuthzCase(
        "training_wagtail_course_date_of_the_other_provider",
        # LWL's date. LVR's staff may not edit it unless granted either: Wagtail answers them
        # with its own refusal (back to the admin's start with a message), which
        # tests/training/test_administration.py checks, since this table expects 403/404.
        lambda w: f"/admin/course_dates/edit/{_date(w).pk}/",
        refused_to=("dortmund_coordinator",),
        staff_power=True,
    ),
]


# The back office acts on its own Landesjugendamt's dates only: LVR's staff (lja_staff) may not
# see or change anything of an LWL date, which LWL's staff (lwl_staff) administer; a trainer of
# the date sees only the trainer's list (training_trainer_participants), never the staff pages.
def _lwl_attended(world: World) -> Registration:
    def make(w: World) -> Registration:
        from datetime import timedelta

        from django.utils import timezone

        from training.models import Trainer
        from training.services.attendance import attendance_mark

        start = timezone.now() - timedelta(days=1)
        past = CourseDateFactory(
            course__provider="LWL", start=start, end=start + timedelta(hours=3)
        )
        past.trainers.add(Trainer.objects.create(name="Referent LWL", user=w.dortmund_staff))
        registration = Registration.objects.create(
            course_date=past,
            participant=w.koeln_staff,
            municipality=w.koeln,
            status="confirmed",
        )
        return attendance_mark(registration=registration, by=w.lwl_staff, attended=True)

    return world.get("training_lwl_attended", make)


def _lwl_waiting(world: World) -> Registration:
    def make(w: World) -> Registration:
        course_date = CourseDateFactory(course__provider="LWL", capacity=1)
        Registration.objects.create(
            course_date=course_date, participant=w.koeln_staff, status="confirmed"
        )
        Registration.objects.create(
            course_date=course_date, participant=w.koeln_coordinator, status="waiting"
        )
        last = Registration.objects.create(
            course_date=course_date, participant=w.dortmund_staff, status="waiting"
        )
        w.extra["training_lwl_priority"] = last.priority
        return last

    return world.get("training_lwl_waiting", make)


def _lwl_certificate(world: World):
    from training.selectors import registration_valid_certificate

    return world.get(
        "training_lwl_certificate",
        lambda w: registration_valid_certificate(registration=_lwl_attended(w)),
    )


def _lwl_certificate_still_valid(world: World) -> None:
    certificate = _lwl_certificate(world)
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def _lwl_attendance_unchanged(world: World) -> None:
    registration = _lwl_attended(world)
    registration.refresh_from_db()
    assert registration.status == "attended"
    assert registration.course_date.status == "planned"


def _lwl_queue_unchanged(world: World) -> None:
    registration = _lwl_waiting(world)
    registration.refresh_from_db()
    assert registration.status == "waiting"
    assert registration.priority == world.extra["training_lwl_priority"]


def _lwl_date_url(suffix: str):
    return lambda w: f"/fortbildung/verwaltung/termine/{_lwl_attended(w).course_date_id}/{suffix}"


OTHER_PROVIDER = ("lja_staff", "dortmund_staff")  # LVR's staff; the date's trainer

CASES += [
    AuthzCase(
        "training_staff_participants_of_the_other_provider",
        _lwl_date_url("teilnehmende/"),
        allowed="lwl_staff",
        refused_to=OTHER_PROVIDER,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_attendance_of_the_other_provider",
        _lwl_date_url("teilnehmende/"),
        method="post",
        data={"action": "all"},
        refused_to=OTHER_PROVIDER,
        unchanged=_lwl_attendance_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_export_csv_of_the_other_provider",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_lwl_attended(w).course_date_id}/teilnehmende.csv"
        ),
        allowed="lwl_staff",
        refused_to=OTHER_PROVIDER,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_export_xlsx_of_the_other_provider",
        lambda w: (
            f"/fortbildung/verwaltung/termine/{_lwl_attended(w).course_date_id}/teilnehmende.xlsx"
        ),
        allowed="lwl_staff",
        refused_to=OTHER_PROVIDER,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_signature_list_of_the_other_provider",
        _lwl_date_url("unterschriftenliste.pdf"),
        allowed="lwl_staff",
        refused_to=OTHER_PROVIDER,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_cancel_date_of_the_other_provider",
        lambda w: f"/fortbildung/verwaltung/termine/{_lwl_waiting(w).course_date_id}/absagen/",
        method="post",
        data={"confirm": "yes"},
        refused_to=OTHER_PROVIDER,
        unchanged=_lwl_queue_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_pdf_of_the_other_provider",
        lambda w: f"/fortbildung/verwaltung/bescheinigungen/{_lwl_certificate(w).pk}.pdf",
        allowed="lwl_staff",
        refused_to=("lja_staff",),
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_reissue_of_the_other_provider",
        lambda w: (
            f"/fortbildung/verwaltung/bescheinigungen/{_lwl_certificate(w).pk}/neu-ausstellen/"
        ),
        method="post",
        refused_to=OTHER_PROVIDER,
        unchanged=_lwl_certificate_still_valid,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_certificate_revoke_of_the_other_provider",
        lambda w: f"/fortbildung/verwaltung/bescheinigungen/{_lwl_certificate(w).pk}/widerrufen/",
        method="post",
        data={"confirm": "yes"},
        refused_to=OTHER_PROVIDER,
        unchanged=_lwl_certificate_still_valid,
        staff_power=True,
    ),
    AuthzCase(
        "training_staff_move_of_the_other_provider",
        lambda w: f"/fortbildung/verwaltung/anmeldungen/{_lwl_waiting(w).pk}/verschieben/",
        method="post",
        data={"position": "1"},
        refused_to=("lja_staff",),
        unchanged=_lwl_queue_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "training_remove_waiting_of_the_other_provider",
        lambda w: f"/fortbildung/anmeldungen/{_lwl_waiting(w).pk - 1}/warteliste-verlassen/",
        method="post",
        refused_to=("lja_staff",),
        unchanged=lambda w: _waiting_still(w, _lwl_waiting(w).pk - 1),
    ),
]


def _waiting_still(world: World, pk: int) -> None:
    assert Registration.objects.get(pk=pk).status == "waiting"
