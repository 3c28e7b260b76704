import pytest
from django.conf import settings


@pytest.mark.django_db
def test_german_whatever_the_browser_asks_for(client):
    response = client.get("/datenschutz/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de">' in response.content.decode()
    assert "Datenschutzerklärung" in response.content.decode()


@pytest.mark.django_db
def test_english_after_the_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/datenschutz/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/datenschutz/").content.decode()
    assert '<html lang="en">' in page
    assert "Privacy notice" in page


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="de">' in client.get("/datenschutz/").content.decode()
