"""Pages in Leichter Sprache and Deutscher Gebärdensprache (BGG NRW, BITV NRW § 4): the reader
check that every publication asks for, the editors' rules in the admin, the pages as visitors see
them, and the video's caption track as the browser loads it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.exceptions import ReaderCheckMissing
from cms.models import CaptionedMedia, EasyLanguagePage, ReaderCheck
from tests.factories import StaffFactory, captioned_video, offer_pages


def _staff_in(group_name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def home(tree):
    return tree[0]


@pytest.fixture
def unchecked(home):
    """A draft in Leichter Sprache whose reader check nobody recorded yet."""
    page = home.add_child(
        instance=EasyLanguagePage(
            title="So finden Sie sich zurecht",
            slug="zurechtfinden",
            live=False,
            body=[{"type": "text", "value": "Oben ist das Menü."}],
        )
    )
    page.save_revision()
    return page


def _edit_form(page, **fields):
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": streamfield([("text", "Oben ist das Menü.\nDort sind die Links.")]),
        "reader_check": "",
        "reader_check_note": "",
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


# --- the reader check: no publication without it ----------------------------------------------


def test_publishing_a_revision_without_the_reader_check_is_refused(unchecked):
    with pytest.raises(ReaderCheckMissing):
        unchecked.save_revision().publish()
    unchecked.refresh_from_db()
    assert not unchecked.live


@pytest.mark.parametrize("answer", [ReaderCheck.CHECKED, ReaderCheck.OPEN])
def test_either_answer_lets_the_page_be_published(unchecked, answer):
    unchecked.reader_check = answer
    unchecked.save_revision().publish()
    unchecked.refresh_from_db()
    assert unchecked.live
    assert unchecked.reader_check == answer


def test_the_publish_button_in_the_admin_asks_for_the_reader_check(client, unchecked):
    client.force_login(_staff_in("Freigabe"))
    url = f"/admin/pages/{unchecked.pk}/edit/"
    response = client.post(url, _edit_form(unchecked, **{"action-publish": "action-publish"}))
    assert response.status_code == 200
    assert str(ReaderCheckMissing.message) in response.content.decode()
    unchecked.refresh_from_db()
    assert not unchecked.live

    form = _edit_form(unchecked, reader_check="checked", **{"action-publish": "action-publish"})
    form["reader_check_note"] = "Prüfgruppe der Lebenshilfe, 20.11.2026"
    response = client.post(url, form)
    assert response.status_code == 302
    unchecked.refresh_from_db()
    assert unchecked.live
    assert unchecked.reader_check == "checked"
    assert unchecked.reader_check_note == "Prüfgruppe der Lebenshilfe, 20.11.2026"


def test_bulk_publish_from_the_page_listing_is_refused_with_a_message(client, home, unchecked):
    """The listing's bulk action goes around the edit form: it gets the same answer, and
    publishes none of the chosen pages, not even those that could be."""
    checked = home.add_child(
        instance=EasyLanguagePage(
            title="Das ist das Lernnetzwerk",
            slug="lernnetzwerk-leicht",
            live=False,
            reader_check=ReaderCheck.CHECKED,
            body=[{"type": "text", "value": "Hier lernen Fach-Leute."}],
        )
    )
    checked.save_revision()
    client.force_login(_staff_in("Freigabe"))
    next_url = f"/admin/pages/{home.pk}/"
    url = f"/admin/bulk/wagtailcore/page/publish/?next={next_url}&id={unchecked.pk}&id={checked.pk}"
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200
    assert str(ReaderCheckMissing.message) in response.content.decode()
    assert "So finden Sie sich zurecht" in response.content.decode()
    unchecked.refresh_from_db()
    checked.refresh_from_db()
    assert not unchecked.live and not checked.live

    unchecked.reader_check = ReaderCheck.OPEN
    unchecked.save_revision()
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    unchecked.refresh_from_db()
    checked.refresh_from_db()
    assert unchecked.live and checked.live


def test_a_draft_may_be_saved_without_the_reader_check(client, unchecked):
    client.force_login(_staff_in("Redaktion"))
    response = client.post(f"/admin/pages/{unchecked.pk}/edit/", _edit_form(unchecked))
    assert response.status_code == 302
    unchecked.refresh_from_db()
    assert not unchecked.live
    draft = unchecked.get_latest_revision_as_object()
    assert draft.body[0].value == "Oben ist das Menü.\nDort sind die Links."


def test_submitting_for_review_asks_for_the_reader_check(client, unchecked):
    client.force_login(_staff_in("Redaktion"))
    url = f"/admin/pages/{unchecked.pk}/edit/"
    response = client.post(url, _edit_form(unchecked, **{"action-submit": "action-submit"}))
    assert response.status_code == 200
    assert str(ReaderCheckMissing.message) in response.content.decode()
    unchecked.refresh_from_db()
    assert unchecked.current_workflow_state is None

    form = _edit_form(unchecked, reader_check="open", **{"action-submit": "action-submit"})
    assert client.post(url, form).status_code == 302
    unchecked.refresh_from_db()
    assert unchecked.current_workflow_state is not None


def test_an_approval_of_a_revision_without_the_check_does_not_publish(unchecked):
    """A revision submitted some other way (code, an older page) is not published either."""
    editor, approver = _staff_in("Redaktion"), _staff_in("Freigabe")
    state = unchecked.get_workflow().start(unchecked, editor)
    task_state = state.current_task_state
    with pytest.raises(ReaderCheckMissing):
        task_state.task.specific.on_action(task_state, approver, "approve")
    unchecked.refresh_from_db()
    assert not unchecked.live


def test_the_admin_form_lists_the_rules_of_leichte_sprache(client, home):
    client.force_login(_staff_in("Redaktion"))
    response = client.get(f"/admin/pages/add/cms/easylanguagepage/{home.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for rule in (
        "Regeln für Leichte Sprache",
        "Kurze Sätze: eine Aussage pro Satz.",
        "Jeder Satz in einer eigenen Zeile.",
        "jedes schwere Wort erklären",
        "Keine Abkürzungen",
        "Zahlen als Ziffern",
        "Mediopunkt",
    ):
        assert rule in html, rule
    # The two answers, as radio buttons: "not checked yet" is a choice, not a blank.
    assert html.count('name="reader_check"') == 2
    assert "noch nicht geprüft (bewusst offen gelassen)" in html


def test_editors_may_upload_and_choose_videos(client, db):
    client.force_login(_staff_in("Redaktion"))
    assert client.get("/admin/media/").status_code == 200
    assert client.get("/admin/media/chooser/").status_code == 200
    response = client.get("/admin/media/video/add/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="captions"' in html
    assert 'name="transcript"' in html


# --- what visitors see ------------------------------------------------------------------------


def test_the_easy_language_page_shows_one_statement_a_line(client, home):
    offer_pages(home)
    html = client.get("/leichte-sprache/").content.decode()
    content = html[html.index('<div class="easy-language" lang="de">') :]
    assert "<p>Diese Seite heißt: Lern-Netzwerk.</p><p>Sie ist für Fach-Leute.</p>" in content
    assert '<aside class="hard-word" aria-label="Schweres Wort erklärt: Fach-Leute">' in content
    # Pointers to the further offers: the page in Gebärdensprache.
    assert '<a href="/gebaerdensprache/">Videos in Deutscher Gebärden-Sprache</a>' in content


def test_english_visitors_are_told_the_pages_are_german(client, home):
    offer_pages(home)
    client.cookies["django_language"] = "en"
    html = client.get("/leichte-sprache/").content.decode()
    assert '<html lang="en">' in html
    assert "It is available in German only." in html
    assert '<div class="easy-language" lang="de">' in html
    # The page's own words stay German, also in the English interface.
    assert "Videos in Deutscher Gebärden-Sprache" in html
    html = client.get("/gebaerdensprache/").content.decode()
    assert "German captions and German transcripts" in html
    assert "Das Video als Text" in html


def test_the_sign_language_page_shows_the_browsers_player_with_captions(client, home):
    offer_pages(home)
    media = CaptionedMedia.objects.get()
    html = client.get("/gebaerdensprache/").content.decode()
    video = re.search(r"<video\b[^>]*>", html).group(0)
    assert "controls" in video
    assert 'preload="metadata"' in video
    assert "autoplay" not in html
    assert f'<source src="{media.file.url}" type="video/webm">' in html
    assert (
        f'<track kind="captions" srclang="de" label="Deutsch" '
        f'src="/medien/{media.pk}/untertitel.vtt" default>'
    ) in html
    # The text alternative: the transcript, below the video.
    assert "<h3>Das Video als Text</h3>" in html
    assert "Platzhalter: hier folgt ein Video." in html


def test_the_caption_track_is_served_as_webvtt(client, db):
    media = captioned_video()
    response = client.get(f"/medien/{media.pk}/untertitel.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert body.startswith("WEBVTT")
    assert "Platzhalter:" in body
    assert client.get(f"/medien/{media.pk + 1}/untertitel.vtt").status_code == 404


def test_the_video_file_is_served_from_this_site(client, db):
    media = captioned_video()
    response = client.get(media.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/webm"
    assert b"".join(response.streaming_content)[:4] == b"\x1a\x45\xdf\xa3"  # WebM (EBML)


@pytest.mark.parametrize(
    "path",
    ["/media/private/forum/a.pdf", "/media/documents/a.pdf", "/media/media/../private/a.pdf"],
)
def test_nothing_else_below_media_root_is_served(client, db, settings, path):
    private = settings.MEDIA_ROOT / "private" / "forum"
    private.mkdir(parents=True)
    (private / "a.pdf").write_bytes(b"%PDF-1.4 secret")
    response = client.get(path)
    assert response.status_code in (301, 404)
    assert b"secret" not in response.content


@pytest.mark.parametrize(
    "captions",
    ["", "00:00.000 --> 00:01.000\nHallo", "WEBVTTX\n\n00:00.000 --> 00:01.000\nHallo", "WEBVTT\n"],
)
def test_captions_must_be_webvtt(db, captions):
    with pytest.raises(ValidationError) as error:
        captioned_video(captions=captions)
    assert "captions" in error.value.message_dict
    assert not CaptionedMedia.objects.exists()


@pytest.mark.parametrize("page", ["/leichte-sprache/", "/gebaerdensprache/"])
def test_query_count_does_not_grow_with_the_content(
    client, home, page, django_assert_max_num_queries
):
    """One page with one video, another with five: the same number of queries."""
    from django.core.cache import cache

    offer_pages(home, videos=1)
    with django_assert_max_num_queries(12):
        assert client.get(page).status_code == 200
    cache.clear()
    EasyLanguagePage.objects.all().delete()
    from cms.models import SignLanguagePage

    SignLanguagePage.objects.all().delete()
    CaptionedMedia.objects.all().delete()
    offer_pages(home, videos=5)
    with django_assert_max_num_queries(12):
        assert client.get(page).status_code == 200
