"""Public "you said, we did" page (/improvements/): completed improvement plans."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
def improvements(request):
    page = Paginator(selectors.completed_plans(), 20).get_page(request.GET.get("page"))
    return render(request, "surveys/improvements.html", {"page": page})
