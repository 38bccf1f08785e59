from django.http import Http404, HttpRequest, HttpResponse


def participant_list(request: HttpRequest, ws: str) -> HttpResponse:
    raise Http404
