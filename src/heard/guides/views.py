from django.http import Http404, HttpRequest, HttpResponse


def guide_create(request: HttpRequest, ws: str, study_pk: int) -> HttpResponse:
    raise Http404


def guide_copy(request: HttpRequest, ws: str, study_pk: int) -> HttpResponse:
    raise Http404


def guide_detail(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    raise Http404
