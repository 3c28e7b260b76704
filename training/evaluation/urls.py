from django.urls import path

from training.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.results_index, name="index"),
    path("ergebnisse.xlsx", views.results_index_xlsx, name="index_xlsx"),
    path("termine/<int:pk>/", views.answer, name="answer"),
    path("termine/<int:pk>/ergebnisse/", views.date_results, name="date_results"),
    path("termine/<int:pk>/ergebnisse.xlsx", views.date_results_xlsx, name="date_results_xlsx"),
]
