"""Public catalogue views."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import CatalogueFilterForm
from .selectors import catalogue_list

PAGE_SIZE = 20


def catalogue_list_view(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    if form.is_valid():
        offers = catalogue_list(text=form.cleaned_data["q"], neighbourhood=form.cleaned_data["wijk"])
    else:
        offers = catalogue_list()
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/catalogue_list.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )
