from django.http import Http404, HttpRequest, HttpResponse


def interview_list(request: HttpRequest, ws: str) -> HttpResponse:
    raise Http404


def interview_create(request: HttpRequest, ws: str) -> HttpResponse:
    raise Http404


def interview_detail(request: HttpRequest, ws: str, pk: int) -> HttpResponse:
    raise Http404
