"""Seams through which the apps built on training add to training's own pages without training
importing them (the import contract forbids it): such an app registers here from its
AppConfig.ready(), and training asks here."""

from collections.abc import Callable

_evaluation_results_url: Callable[[int], str] | None = None


def register_evaluation_results_url(builder: Callable[[int], str]) -> None:
    """The evaluation app says where a date's results are: `builder(course_date_id) -> URL`."""
    global _evaluation_results_url
    _evaluation_results_url = builder


def evaluation_results_url(*, course_date_id: int) -> str | None:
    """The address of a date's evaluation results, or None where no app provides them."""
    if _evaluation_results_url is None:
        return None
    return _evaluation_results_url(course_date_id)
