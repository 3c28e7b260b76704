"""The network directory: the programme municipalities, for members."""

from django.shortcuts import render

from network.models import Region
from network.selectors.practice import directory_municipalities
from network.views.forums import member_required


@member_required
def directory(request):
    region = request.GET.get("region", "")
    return render(
        request,
        "network/directory/list.html",
        {
            "municipalities": directory_municipalities(region=region),
            "regions": Region.choices,
            "region": region if region in Region.values else "",
        },
    )
