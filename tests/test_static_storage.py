from django.contrib.staticfiles.storage import staticfiles_storage


def test_tests_do_not_depend_on_collectstatic():
    """Pages render in tests without a collected manifest (see tests/conftest.py)."""
    assert staticfiles_storage.url("css/site.css") == "/static/css/site.css"
