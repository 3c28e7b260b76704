from django.shortcuts import render


def date_list(request):
    return render(request, "training/date_list.html")
