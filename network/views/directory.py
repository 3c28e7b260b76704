"""The network directory: the programme municipalities, for members."""

from django.shortcuts import render

from network.decorators import member_required
from network.models import Region
from network.selectors.directory import directory_municipalities


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
