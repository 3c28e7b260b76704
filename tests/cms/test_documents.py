"""The headers of a document download: no invented encoding, an ETag that is the file's own, and
no copy kept by shared caches (every download asks the access rule again)."""

import pytest

from tests.factories import cms_document, member, module_page

pytestmark = pytest.mark.django_db


def _download(client, url, **headers):
    response = client.get(url, headers=headers)
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response


def test_a_download_has_no_made_up_encoding_and_a_real_etag(client, tree):
    flyer = cms_document("Flyer", filename="flyer.txt")
    press = cms_document("Pressemitteilung", filename="presse.txt")

    response = _download(client, flyer.url)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Content-Type"] == "text/plain"
    flyer.refresh_from_db()
    assert len(flyer.file_hash) == 40
    assert response["ETag"] == f'"{flyer.file_hash}"'
    assert "private" in response["Cache-Control"]
    # Another file, another tag.
    assert _download(client, press.url)["ETag"] not in ('""', response["ETag"])
    # The browser's copy is confirmed without sending the file again.
    assert _download(client, flyer.url, if_none_match=response["ETag"]).status_code == 304
    assert _download(client, press.url, if_none_match=response["ETag"]).status_code == 200


def test_a_refused_download_gets_no_etag(client, tree):
    document = cms_document("Teilnehmendenmaterial", filename="tn.txt")
    module_page(tree[1], materials=[(document, "participants")])
    client.force_login(member())

    response = client.get(document.url)

    assert response.status_code == 403
    assert "ETag" not in response
    document.refresh_from_db()
    assert document.file_hash == ""
