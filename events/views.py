from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def room_list(request):
    return render(request, "events/room_list.html")
