from django.shortcuts import render


def search(request):
    return render(request, "cms/search.html", {"query": request.GET.get("q", "")})
