"""The practice examples' pages; included by network.urls into its namespace."""

from django.urls import path

from network.practice import views as practice

urlpatterns = [
    path("praxisbeispiele/", practice.example_list, name="practice_list"),
    path("praxisbeispiele/neu/", practice.example_create, name="practice_create"),
    path("praxisbeispiele/meine-kommune/", practice.my_examples, name="practice_mine"),
    path("praxisbeispiele/pruefung/", practice.review_queue, name="practice_review_queue"),
    path("praxisbeispiele/zu-bestaetigen/", practice.confirm_queue, name="practice_confirm_queue"),
    path(
        "praxisbeispiele/einwilligungen/",
        practice.contact_requests,
        name="practice_contact_requests",
    ),
    path("praxisbeispiele/<int:pk>/", practice.example_detail, name="practice_detail"),
    path("praxisbeispiele/<int:pk>/bearbeiten/", practice.example_edit, name="practice_edit"),
    path("praxisbeispiele/<int:pk>/einreichen/", practice.example_submit, name="practice_submit"),
    path("praxisbeispiele/<int:pk>/pruefen/", practice.example_review, name="practice_review"),
    path(
        "praxisbeispiele/<int:pk>/bestaetigen/", practice.example_confirm, name="practice_confirm"
    ),
    path(
        "praxisbeispiele/<int:pk>/einwilligung/",
        practice.contact_answer,
        name="practice_contact_answer",
    ),
    path(
        "praxisbeispiele/anhang/<int:pk>/", practice.attachment_download, name="practice_attachment"
    ),
]
