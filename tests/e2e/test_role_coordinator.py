"""The municipal coordinator's jobs, one test each, from the demo data of `make run`.

Dana Demir coordinates the Präventionskette of Dortmund (koordination@dortmund.example). She logs
in through the form she reaches from the start page and does each job through the links and
buttons she sees; what she reads (page text, e-mails) is the result, the database is checked in
addition. Other people (a newcomer, a colleague she invites, Felix Fischer of Dortmund,
Landesjugendamt staff) use browsers of their own. axe-core checks every page on the way.

Issue 12: registering colleagues explicitly (several at once), ending a membership after a
confirmation step, and confirming a member's practice example became possible with the fixes of
h/training and h/network; these journeys were written against the defects and pass since.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from network.models import Invitation, Membership, MembershipRole, MembershipStatus
from network.practice.models import ExampleStatus, PracticeExample
from network.practice.selectors import examples_for_review
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import (
    follow,
    give_totp,
    login,
    login_from_start,
    mail_link,
    open_start,
)
from training.models import CourseDate, Registration, RegistrationStatus

NEW_PASSWORD = "Praeventionskette-2026"


# --- what a person does ---------------------------------------------------------------------


def nav(page, name: str) -> None:
    """A link of the header's navigation."""
    follow(page, page.locator("header").get_by_role("link", name=name, exact=True))


def main_link(page, name, **kwargs) -> None:
    follow(page, page.locator("main").get_by_role("link", name=name, **kwargs).first)


def message(page):
    return page.locator("main .messages")


def sign_up_from_start(page, mailoutbox, *, name: str, email: str) -> None:
    """A new person signs up from the start page's header and confirms the address from the
    e-mail; allauth logs them in on confirmation."""
    open_start(page)
    follow(page, page.locator("header").get_by_role("link", name="Registrieren", exact=True))
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("E-Mail:", exact=True).fill(email)
    page.get_by_label("Passwort:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Passwort (Wiederholung):", exact=True).fill(NEW_PASSWORD)
    page.get_by_label(re.compile("Datenschutzerklärung gelesen")).check()
    follow(page, page.locator("main").get_by_role("button", name="Registrieren"))
    page.goto(mail_link(mailoutbox, r"/konto/confirm-email/", to=email))
    assert_no_axe_violations(page)
    follow(page, page.locator("main").get_by_role("button", name="Bestätigen"))


# --- demo facts -----------------------------------------------------------------------------


def first_upcoming_date(course_title: str) -> CourseDate:
    """The first upcoming date of a demo course: the one with 12 seats (at most 2 per
    municipality), listed first when Dana filters the dates by the course."""
    return (
        CourseDate.objects.filter(course__title=course_title, start__gt=timezone.now())
        .order_by("start")
        .first()
    )


def open_date_of(page, course_title: str) -> None:
    """From the list of dates, filtered by the course, the first (earliest) date."""
    page.get_by_label("Modul").select_option(label=course_title)
    follow(page, page.locator("main").get_by_role("button", name="Termine anzeigen"))
    main_link(page, course_title, exact=True)
    expect(page.locator("h1")).to_have_text(course_title)


def registration_form(page):
    return page.locator("main form").filter(has_text="Wer nimmt teil?")


def offered_people(form) -> list[str]:
    """The people the registration form offers: the options of its list, or its checkboxes."""
    options = form.locator("select option").all_inner_texts()
    boxes = [
        box.evaluate("el => el.labels[0] ? el.labels[0].innerText : ''")
        for box in form.get_by_role("checkbox").all()
    ]
    return [text.strip() for text in options + boxes if text.strip()]


def chosen_people(form) -> list[str]:
    """Whom the form would register if sent as it is (a placeholder option counts as nobody)."""
    return form.evaluate(
        """form => [
          ...Array.from(form.querySelectorAll("select option:checked"))
            .filter(o => o.value).map(o => o.innerText.trim()),
          ...Array.from(form.querySelectorAll("input[type=checkbox]:checked"))
            .map(box => box.labels[0] ? box.labels[0].innerText.trim() : box.value),
        ]"""
    )


def choose_people(form, *names: str) -> None:
    """Pick people by the names the form shows: in its list, or by ticking their boxes."""
    select = form.locator("select")
    if select.count():
        select.select_option(label=list(names) if len(names) > 1 else names[0])
    else:
        for name in names:
            form.get_by_role("checkbox", name=name).check()


def end_control(row):
    """The link or button that ends the membership of the person in a member list's row."""
    return row.locator("a, button").filter(has_text="Mitgliedschaft beenden")


# --- the jobs -------------------------------------------------------------------------------


def test_approve_a_join_request(page, new_context, demo, mailoutbox):
    """A newcomer signs up and asks to join Dortmund; Dana sees the open request from the
    network page, approves it, and the newcomer is told by e-mail and sees Dortmund."""
    dana = demo.coordinator
    newcomer = new_context().new_page()
    email = "nora.neu@dortmund.example"
    sign_up_from_start(newcomer, mailoutbox, name="Nora Neu", email=email)
    nav(newcomer, "Netzwerk")
    main_link(newcomer, "Einer Kommune beitreten")
    newcomer.get_by_label("Kommune:", exact=True).select_option(label="Dortmund (kreisfreie Stadt)")
    newcomer.get_by_label("Fachkraft", exact=True).check()
    newcomer.get_by_label(re.compile("Nachricht an die Koordination")).fill(
        "Ich arbeite im Familienbüro Hörde."
    )
    follow(newcomer, newcomer.locator("main").get_by_role("button", name="Anfrage senden"))
    expect(message(newcomer)).to_contain_text("Dortmund")
    request = Membership.objects.get(user__email=email)
    assert request.status == MembershipStatus.PENDING
    # Dana is told by e-mail (the demo's own request of Aylin Yıldız waits, too).
    assert any(dana.email in mail.to and "Nora Neu" in mail.body for mail in mailoutbox)

    login_from_start(page, dana, demo.password)
    nav(page, "Netzwerk")
    expect(page.locator("main")).to_contain_text("2 offene Anfragen")
    main_link(page, "Zu meiner Kommune")
    requests = page.locator("main table").filter(has_text="Personen, die Ihrer Kommune")
    row = requests.get_by_role("row").filter(has_text="Nora Neu")
    expect(row).to_contain_text(email)
    expect(row).to_contain_text("Familienbüro Hörde")
    follow(page, row.get_by_role("button", name="Annehmen"))
    expect(message(page)).to_contain_text("Nora Neu ist jetzt Mitglied von Dortmund.")
    expect(requests).not_to_contain_text("Nora Neu")
    expect(requests).to_contain_text("Aylin Yıldız")  # the other request is still open
    members = page.locator("main table").filter(has_text="Mitglieder von Dortmund")
    expect(members).to_contain_text("Nora Neu")
    request.refresh_from_db()
    assert request.status == MembershipStatus.APPROVED
    assert request.decided_by == dana

    # Nora reads the decision in her mail and sees Dortmund's member area.
    decision = [mail for mail in mailoutbox if email in mail.to and "Dortmund" in mail.subject]
    assert decision, [mail.subject for mail in mailoutbox]
    nav(newcomer, "Netzwerk")
    expect(newcomer.locator("main")).to_contain_text("Sie sind Mitglied von Dortmund")
    main_link(newcomer, "Zu meiner Kommune")
    expect(newcomer.locator("h1")).to_have_text("Dortmund")
    expect(newcomer.locator("main")).to_contain_text("Dana Demir")


def test_invite_a_colleague(page, new_context, demo, mailoutbox):
    """Dana invites a colleague by e-mail; the colleague follows the link, signs up, accepts
    and is a member of Dortmund."""
    colleague_email = "karla.kollegin@dortmund.example"
    login_from_start(page, demo.coordinator, demo.password)
    nav(page, "Mein Bereich")
    main_link(page, "Zu meiner Kommune")
    main_link(page, "Kollegin oder Kollegen einladen")
    page.get_by_label("E-Mail-Adresse Ihrer Kollegin oder Ihres Kollegen").fill(colleague_email)
    page.get_by_label("Fachkraft", exact=True).check()
    follow(page, page.locator("main").get_by_role("button", name="Einladung senden"))
    expect(message(page)).to_contain_text(
        f"Die Einladung wurde an {colleague_email} gesendet. Sie gilt 14 Tage."
    )
    open_invitations = page.locator("main table").filter(has_text="Offene Einladungen")
    expect(open_invitations).to_contain_text(colleague_email)

    # The colleague, in a browser of her own, follows the link in the e-mail and signs up.
    colleague = new_context().new_page()
    colleague.goto(mail_link(mailoutbox, r"/netzwerk/einladung/", to=colleague_email))
    assert_no_axe_violations(colleague)
    expect(colleague.locator("main")).to_contain_text(colleague_email)
    main_link(colleague, "registrieren Sie sich")
    colleague.get_by_label("Name:", exact=True).fill("Karla Kollegin")
    # The address is the invited one (the link proves it).
    expect(colleague.get_by_label("E-Mail:", exact=True)).to_have_value(colleague_email)
    colleague.get_by_label("Passwort:", exact=True).fill(NEW_PASSWORD)
    colleague.get_by_label("Passwort (Wiederholung):", exact=True).fill(NEW_PASSWORD)
    colleague.get_by_label(re.compile("Datenschutzerklärung gelesen")).check()
    follow(colleague, colleague.locator("main").get_by_role("button", name="Registrieren"))
    expect(colleague.locator("main")).to_contain_text("Dortmund")
    follow(colleague, colleague.locator("main").get_by_role("button", name="Einladung annehmen"))
    expect(message(colleague)).to_contain_text("Willkommen")
    expect(colleague.locator("h1")).to_have_text("Dortmund")
    membership = Membership.objects.get(user__email=colleague_email)
    assert membership.status == MembershipStatus.APPROVED
    assert membership.municipality.name == "Dortmund"
    assert membership.role == MembershipRole.STAFF

    # Dana sees her new colleague among the members, and the invitation no longer open.
    page.reload()
    assert_no_axe_violations(page)
    members = page.locator("main table").filter(has_text="Mitglieder von Dortmund")
    expect(members).to_contain_text("Karla Kollegin")
    expect(page.locator("main")).to_contain_text("Es gibt keine offenen Einladungen.")
    assert Invitation.objects.get(email=colleague_email).accepted_at is not None


def test_register_a_colleague_for_a_course_date(page, demo, mailoutbox):
    """Dana registers Jonas Becker for the date Felix Fischer is already registered for: she
    chooses him explicitly (the form does not pick her), Felix is not offered again."""
    title = "Grundlagen kommunaler Präventionsketten"
    course_date = first_upcoming_date(title)
    assert Registration.objects.filter(
        course_date=course_date, participant=demo.member, status=RegistrationStatus.CONFIRMED
    ).exists()
    login_from_start(page, demo.coordinator, demo.password)
    nav(page, "Mein Bereich")
    main_link(page, "Anmeldungen und abgeschlossene Module unserer Kommune")
    main_link(page, "Beschäftigte für einen Termin anmelden")
    open_date_of(page, title)

    form = registration_form(page)
    offered = offered_people(form)
    assert "Jonas Becker" in offered, offered
    assert not [person for person in offered if "Felix Fischer" in person], offered
    assert chosen_people(form) == [], "the form must not choose someone by itself"
    choose_people(form, "Jonas Becker")
    follow(page, form.get_by_role("button", name=re.compile("^Anmelden")))
    expect(message(page)).to_contain_text("Jonas Becker ist angemeldet.")
    ours = page.locator("main table").filter(has_text="Anmeldungen Ihrer Kommune")
    expect(ours.get_by_role("row").filter(has_text="Jonas Becker")).to_contain_text("bestätigt")
    expect(ours.get_by_role("row").filter(has_text="Felix Fischer")).to_contain_text("bestätigt")
    # Now neither is offered for this date.
    assert not [p for p in offered_people(registration_form(page)) if "Jonas Becker" in p]

    registration = Registration.objects.get(
        course_date=course_date, participant__name="Jonas Becker"
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.registered_by == demo.coordinator
    assert not Registration.objects.filter(
        course_date=course_date, participant=demo.coordinator
    ).exists()
    assert any(
        "familienbuero@dortmund.example" in mail.to and title in mail.body for mail in mailoutbox
    )


def test_register_several_colleagues_at_once(page, demo, mailoutbox):
    """Dana registers Felix Fischer and Jonas Becker for the Lernnetzwerktreffen
    Westfalen-Lippe in one go; both are confirmed and both get their confirmation."""
    title = "Lernnetzwerktreffen Westfalen-Lippe"
    course_date = first_upcoming_date(title)
    login_from_start(page, demo.coordinator, demo.password)
    nav(page, "Fortbildungen")
    open_date_of(page, title)

    form = registration_form(page)
    assert chosen_people(form) == [], "the form must not choose someone by itself"
    choose_people(form, "Felix Fischer", "Jonas Becker")
    follow(page, form.get_by_role("button", name=re.compile("^Anmelden")))
    for name in ("Felix Fischer", "Jonas Becker"):
        expect(message(page)).to_contain_text(name)
    ours = page.locator("main table").filter(has_text="Anmeldungen Ihrer Kommune")
    for name in ("Felix Fischer", "Jonas Becker"):
        expect(ours.get_by_role("row").filter(has_text=name)).to_contain_text("bestätigt")

    registered = Registration.objects.filter(
        course_date=course_date, status=RegistrationStatus.CONFIRMED
    )
    assert sorted(registered.values_list("participant__name", flat=True)) == [
        "Felix Fischer",
        "Jonas Becker",
    ]
    assert set(registered.values_list("registered_by", flat=True)) == {demo.coordinator.pk}
    for address in ("fachkraft@dortmund.example", "familienbuero@dortmund.example"):
        assert any(address in mail.to and title in mail.body for mail in mailoutbox), address


def test_see_the_training_overview_of_the_municipality(page, demo):
    """Dana sees who of Dortmund is registered for what (with the waiting list) and who
    completed which module; nobody of another municipality appears."""
    login_from_start(page, demo.coordinator, demo.password)
    nav(page, "Mein Bereich")
    main_link(page, "Anmeldungen und abgeschlossene Module unserer Kommune")
    expect(page.locator("h1")).to_have_text("Fortbildung in Dortmund")

    registrations = page.locator("main table").filter(has_text="Alle Anmeldungen Ihrer Kommune")
    ours = Registration.objects.filter(municipality__slug="dortmund").select_related(
        "participant", "course_date__course"
    )
    assert ours.count() == 3  # the demo's: attended, confirmed, waiting
    status = {"confirmed": "bestätigt", "waiting": "Warteliste", "attended": "teilgenommen"}
    for registration in ours:
        # Felix attended the course's last run and holds a seat on its next: one row each.
        row = (
            registrations.get_by_role("row")
            .filter(has_text=registration.participant.display_name)
            .filter(has_text=registration.course_date.course.title)
            .filter(has_text=status[registration.status])
        )
        expect(row).to_have_count(1)
        if registration.status == RegistrationStatus.WAITING:
            expect(row).to_contain_text("Position 1")

    completed = page.locator("main table").filter(has_text="teilgenommen haben")
    attended = ours.get(status=RegistrationStatus.ATTENDED)
    expect(
        completed.get_by_role("row").filter(has_text=attended.course_date.course.title)
    ).to_contain_text("Felix Fischer")
    # Köln's coordinator is registered for one of the same dates: not Dortmund's business.
    expect(page.locator("main")).not_to_contain_text("Katrin Kaya")
    expect(page.locator("main")).not_to_contain_text("Demo-Teilnehmende")

    # Each course links to its date.
    main_link(page, attended.course_date.course.title, exact=True)
    expect(page.locator("h1")).to_have_text(attended.course_date.course.title)


def test_end_a_membership_with_a_confirmation_step(page, demo):
    """Dana ends Jonas Becker's membership: the button asks first, and only the confirmation
    ends it. She is not offered to end her own membership in the members' list."""
    login_from_start(page, demo.coordinator, demo.password)
    nav(page, "Netzwerk")
    main_link(page, "Zu meiner Kommune")
    members = page.locator("main table").filter(has_text="Mitglieder von Dortmund")
    own_row = members.get_by_role("row").filter(has_text="Dana Demir")
    expect(own_row).to_have_count(1)
    expect(end_control(own_row)).to_have_count(0)

    jonas = Membership.objects.get(user__name="Jonas Becker", status=MembershipStatus.APPROVED)
    row = members.get_by_role("row").filter(has_text="Jonas Becker")
    follow(page, end_control(row))
    # Asked, not done: whose membership, and what follows.
    expect(page.locator("h1")).to_contain_text("Jonas Becker")
    jonas.refresh_from_db()
    assert jonas.status == MembershipStatus.APPROVED, "ended without a confirmation step"
    follow(page, page.locator("main").get_by_role("button", name="Ja, Mitgliedschaft beenden"))
    expect(message(page)).to_contain_text("Die Mitgliedschaft von Jonas Becker wurde beendet.")
    members = page.locator("main table").filter(has_text="Mitglieder von Dortmund")
    expect(members).not_to_contain_text("Jonas Becker")
    jonas.refresh_from_db()
    assert jonas.status == MembershipStatus.ENDED


def test_confirm_a_practice_example_before_the_review(page, new_context, demo):
    """Felix Fischer, a member of Dortmund, submits a practice example; Dana is notified,
    confirms it, and only then it is in the Landesjugendamt's review queue."""
    title = "Elterncafé in der Kita Hörde"
    felix = new_context().new_page()
    login_from_start(felix, demo.member, demo.password)
    nav(felix, "Netzwerk")
    main_link(felix, "Praxisbeispiele", exact=True)
    main_link(felix, "Praxisbeispiel schreiben")
    felix.get_by_label("Titel").fill(title)
    felix.get_by_label("Kurzbeschreibung").fill("Ein offenes Elterncafé einmal die Woche.")
    felix.get_by_label("Kita", exact=True).check()
    felix.get_by_label("0–3 Jahre").check()
    felix.get_by_label("Zielgruppen").fill("Eltern mit Kindern in der Kita")
    felix.get_by_label("Was wurde gemacht?").fill("Frühstück, Beratung, Kinderbetreuung.")
    felix.get_by_label("Was hat zum Gelingen beigetragen?").fill("Feste Ansprechpersonen.")
    follow(felix, felix.get_by_role("button", name="Speichern und zur Prüfung einreichen"))
    example = PracticeExample.objects.get(title=title)
    assert example.author == demo.member
    assert example.status != ExampleStatus.SUBMITTED, "went to the review without confirmation"
    assert example not in examples_for_review()

    # Dana is notified and confirms.
    login_from_start(page, demo.coordinator, demo.password)
    follow(page, page.locator("header").get_by_role("link", name=re.compile("^Benachrichtigungen")))
    follow(page, page.locator("main").get_by_role("link", name=re.compile(re.escape(title))))
    expect(page.locator("main")).to_contain_text(title)
    page.get_by_label("bestätigen und an das Landesjugendamt weitergeben").check()
    follow(page, page.locator("main").get_by_role("button", name="Entscheidung speichern"))
    expect(message(page)).to_contain_text("Bestätigt. Als Nächstes prüft das Landesjugendamt")
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED
    assert example.confirmed_by == demo.coordinator

    # Felix is told; the Landesjugendamt finds it among the examples to review.
    felix.reload()
    assert_no_axe_violations(felix)
    expect(
        felix.locator("header").get_by_role("link", name=re.compile("1 ungelesen"))
    ).to_be_visible()
    staff = new_context().new_page()
    give_totp(demo.editor)
    login(staff, demo.editor, demo.password)
    nav(staff, "Mein Bereich")
    main_link(staff, "Zu prüfende Praxisbeispiele")
    expect(staff.locator("main")).to_contain_text(title)
