from django.urls import path

from heard.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="page"),
    path("add/", views.add_results, name="add"),
    path("saved/", views.save_search, name="save"),
    path("saved/<int:pk>/delete/", views.delete_saved, name="delete_saved"),
]
