"""The site search: one form, results grouped by kind, an accessible results page."""

import pytest

from tests.factories import StaffFactory, forum_topic, member, module_page, practice_example


@pytest.fixture
def modules(tree):
    curriculum = tree[1]
    return [
        module_page(curriculum, title="Frühe Hilfen als erster Baustein",
                    summary="Familien rund um die Geburt erreichen."),
        module_page(curriculum, title="Netzwerkmanagement und Koordination",
                    summary="Akteure verschiedener Rechtskreise zusammenbringen."),
    ]  # fmt: skip


def test_search_form_is_labelled_and_empty_search_shows_no_results(client, tree):
    response = client.get("/suche/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_q">Suchbegriff</label>' in html
    assert 'role="status"' not in html


def test_search_finds_a_module_and_announces_the_count(client, modules):
    html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert "Netzwerkmanagement und Koordination" in html
    assert "Frühe Hilfen als erster Baustein" not in html
    assert '<p role="status" class="search-count">1 Ergebnis für „Netzwerkmanagement“.</p>' in html
    assert '<h2 id="results-pages">' in html
    assert html.count("<h1") == 1


def test_unpublished_pages_are_not_found(client, modules):
    modules[1].unpublish()
    html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert "Netzwerkmanagement und Koordination" not in html
    assert "0 Ergebnisse" in html


@pytest.mark.parametrize("query", ["x" * 201, "   "])
def test_bad_input_gets_a_clear_message(client, tree, query):
    html = client.get("/suche/", {"q": query}).content.decode()
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_q_error"' in html
    assert "Bitte geben Sie" in html


def test_script_in_the_query_is_escaped(client, modules):
    html = client.get("/suche/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_practice_examples_and_topics_are_found_as_far_as_the_visitor_may_see_them(client, modules):
    staff = StaffFactory()
    practice_example(title="Lotsendienst Frühe Hilfen", audience="public", publish_by=staff)
    practice_example(title="Interne Auswertung Frühe Hilfen", publish_by=staff)
    practice_example(title="Entwurf Frühe Hilfen")  # not published: found by nobody
    forum_topic(title="Austausch Frühe Hilfen")

    html = client.get("/suche/", {"q": "Frühe Hilfen"}).content.decode()
    assert '<h2 id="results-practice">' in html and "Lotsendienst Frühe Hilfen" in html
    assert "Interne Auswertung Frühe Hilfen" not in html
    assert '<h2 id="results-topics">' not in html and "Austausch Frühe Hilfen" not in html
    assert "Entwurf Frühe Hilfen" not in html

    client.force_login(member())
    html = client.get("/suche/", {"q": "Frühe Hilfen"}).content.decode()
    assert "Lotsendienst Frühe Hilfen" in html and "Interne Auswertung Frühe Hilfen" in html
    assert '<h2 id="results-topics">' in html and "Austausch Frühe Hilfen" in html
    assert "Entwurf Frühe Hilfen" not in html


@pytest.mark.postgres
def test_german_stemming_on_postgresql(client, modules):
    """„Familie“ finds „Familien“ through the German search configuration."""
    html = client.get("/suche/", {"q": "Familie"}).content.decode()
    assert "Frühe Hilfen als erster Baustein" in html


@pytest.fixture
def lotsen_module(tree):
    return module_page(
        tree[1],
        title="Frühe Hilfen als erster Baustein",
        summary="Wie Familien rund um die Geburt erreicht werden – auch über Lotsendienste.",
        target_group="Fachkräfte Frühe Hilfen, Lotsendienste, Gesundheitswesen",
    )


@pytest.mark.parametrize(
    "query", ["fruehe hilfen", "FRUEHE HILFEN", "Fruehe", "Frühe Hilfen", "frühe"]
)
def test_umlauts_typed_as_ae_oe_ue_find_the_page(client, lotsen_module, query):
    """A keyboard without umlauts: „fruehe hilfen“ finds „Frühe Hilfen“."""
    html = client.get("/suche/", {"q": query}).content.decode()
    assert "Frühe Hilfen als erster Baustein" in html, query
    assert "1 Ergebnis" in html


@pytest.mark.parametrize("query", ["Lotsendienst", "Lotsendienste", "Lotsen", "lotsendienst"])
def test_part_of_a_word_finds_the_page(client, lotsen_module, query):
    """„Lotsendienst“ (and the beginning „Lotsen“) find the module about „Lotsendienste“."""
    html = client.get("/suche/", {"q": query}).content.decode()
    assert "Frühe Hilfen als erster Baustein" in html, query


def test_every_word_must_match_in_one_of_its_spellings(client, lotsen_module, modules):
    html = client.get("/suche/", {"q": "fruehe Netzwerkmanagement"}).content.decode()
    assert "0 Ergebnisse" in html


def test_spellings_of_a_word():
    from cms.selectors import _spellings

    assert _spellings("fruehe") == ["fruehe", "frühe"]
    assert _spellings("Uebergaenge") == ["Uebergaenge", "Übergänge"]
    assert _spellings("Strasse") == ["Strasse", "Straße"]
    assert _spellings("Hilfen") == ["Hilfen"]


def test_a_visitors_repeated_search_runs_no_query_until_the_content_changes(
    client, modules, django_assert_max_num_queries
):
    """What a visitor finds is the same for every visitor: kept in the cache under the versions of
    the pages and the practice examples, so an unpublish or a new example shows at once."""
    assert "1 Ergebnis" in client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    with django_assert_max_num_queries(0):
        html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert "Netzwerkmanagement und Koordination" in html
    practice_example(
        title="Netzwerkmanagement in Bielefeld", audience="public", publish_by=StaffFactory()
    )
    html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert "2 Ergebnisse" in html and "Netzwerkmanagement in Bielefeld" in html
    modules[1].unpublish()
    html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert "Netzwerkmanagement und Koordination" not in html and "1 Ergebnis" in html


def test_a_members_search_is_not_taken_from_the_visitors_cache(client, modules):
    person = member()
    topic = forum_topic(title="Netzwerkmanagement im Kreis", author=person)
    client.get("/suche/", {"q": "Netzwerkmanagement"})  # a visitor's search, now cached
    client.force_login(person)
    html = client.get("/suche/", {"q": "Netzwerkmanagement"}).content.decode()
    assert f"/netzwerk/thema/{topic.pk}/" in html
