"""The curriculum of the demo leaves the task worker nothing that fails: Wagtail queues a
reference-index task for every saved page and material, and a material replaced before the worker
ran would fail in the admin's list of tasks ("ModuleMaterial matching query does not exist")."""

import signal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cms import demo
from cms.models import ModuleMaterial
from tests.factories import cms_tree

# serialized_rollback: each run starts with what the migrations made (the root page), which the
# flush after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("loads", [1, 2], ids=["loaded once", "loaded again before the worker ran"])
def test_the_demo_curriculum_leaves_no_failed_task(settings, loads):
    """`make prod` loads the demo at every start; the worker may not have run in between."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cms_tree()
    for _ in range(loads):
        demo.load(password="demo-pass", log=lambda *args: None)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    results = DBTaskResult.objects.filter(task_path="wagtail.tasks.update_reference_index_task")
    assert results.filter(status="SUCCESSFUL").count() >= ModuleMaterial.objects.count() > 0
    assert list(results.exclude(status="SUCCESSFUL").values_list("status", flat=True)) == []
