from django.urls import path

from training.views import (
    administration,
    calendar,
    certificates,
    dates,
    matrix,
    registrations,
    staff,
    trainer,
)

app_name = "training"

urlpatterns = [
    path("", dates.date_list, name="date_list"),
    path("termine/<int:pk>/", dates.date_detail, name="date_detail"),
    path("termine/<int:pk>/anmelden/", dates.register, name="register"),
    path("termine/<int:pk>/termin.ics", dates.date_ics, name="date_ics"),
    path("anmeldungen/<int:pk>/abmelden/", registrations.cancel, name="cancel"),
    path(
        "anmeldungen/<int:pk>/warteliste-verlassen/",
        registrations.leave_waiting_list,
        name="leave_waiting_list",
    ),
    path(
        "anmeldungen/<int:pk>/bescheinigung.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path("meine/", registrations.my_training, name="my_training"),
    path("kommune/", registrations.our_training, name="our_training"),
    path("kommune/fehlende-module/", matrix.coordinator_matrix, name="coordinator_matrix"),
    path(
        "kommune/fehlende-module.xlsx",
        matrix.coordinator_matrix,
        {"export": True},
        name="coordinator_matrix_xlsx",
    ),
    path("kalender/", calendar.calendar_settings, name="calendar"),
    path("kalender/erneuern/", calendar.calendar_renew, name="calendar_renew"),
    path("kalender/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("bescheinigung/pruefen/", certificates.certificate_verify, name="certificate_verify"),
    path("referent/", trainer.trainer_dates, name="trainer_dates"),
    path("referent/termine/<int:pk>/", trainer.trainer_participants, name="trainer_participants"),
    # Landesjugendamt staff
    path("verwaltung/", administration.home, name="staff_home"),
    path(
        "verwaltung/termine/<int:pk>/teilnehmende/",
        staff.participants,
        name="staff_participants",
    ),
    path(
        "verwaltung/termine/<int:pk>/teilnehmende.<str:fmt>",
        staff.participants_export,
        name="staff_participants_export",
    ),
    path(
        "verwaltung/termine/<int:pk>/unterschriftenliste.pdf",
        staff.signature_list,
        name="staff_signature_list",
    ),
    path(
        "verwaltung/bescheinigungen/<int:pk>.pdf",
        staff.certificate_download,
        name="staff_certificate_pdf",
    ),
    path(
        "verwaltung/bescheinigungen/<int:pk>/neu-ausstellen/",
        staff.certificate_reissue_view,
        name="staff_certificate_reissue",
    ),
    path(
        "verwaltung/bescheinigungen/<int:pk>/widerrufen/",
        staff.certificate_revoke_view,
        name="staff_certificate_revoke",
    ),
    path("verwaltung/termine/<int:pk>/absagen/", staff.date_cancel, name="staff_date_cancel"),
    path(
        "verwaltung/anmeldungen/<int:pk>/verschieben/",
        staff.registration_move_view,
        name="staff_registration_move",
    ),
    path("verwaltung/berichte/", staff.reports, name="staff_reports"),
    path("verwaltung/fehlende-module/", matrix.staff_matrix, name="staff_matrix"),
    path(
        "verwaltung/fehlende-module.xlsx",
        matrix.staff_matrix,
        {"export": True},
        name="staff_matrix_xlsx",
    ),
    path(
        "verwaltung/berichte/<str:report>.<str:fmt>",
        staff.report_export,
        name="staff_report_export",
    ),
]
