"""Saved filters (常用筛选): a list page's filters kept under a name by one user, offered on that list page
to reopen it filtered that way. Only the owner lists, opens, replaces or deletes them; the list applies the
user's scope when reopened like any other query."""

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import SavedFilter
from .pages import SIGNED_IN, ScopedListView, requires

NAME_MAX = 50
# Not part of a saved filter: the page shown and an export request.
DROPPED = ("page", "export")


def clean_query(query: QueryDict) -> str:
    query = query.copy()
    for name in DROPPED:
        query.pop(name, None)
    return query.urlencode()


def for_list(user, list_name: str, list_kwargs: dict):
    return SavedFilter.objects.filter(user=user, list_name=list_name, list_kwargs=list_kwargs or {})


def url_of(saved: SavedFilter) -> str:
    path = reverse(saved.list_name, kwargs=saved.list_kwargs or None)
    return f"{path}?{saved.query}" if saved.query else path


def _list_page(path: str):
    """The resolved list page at `path` (a ScopedListView), or 404."""
    try:
        match = resolve(path or "")
    except Resolver404:
        raise Http404 from None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ScopedListView):
        raise Http404
    return match


@requires(SIGNED_IN)
@require_POST
def saved_filter_save(request):
    match = _list_page(request.POST.get("path", ""))
    query = clean_query(QueryDict(request.POST.get("query", "")))
    back = reverse(match.view_name, kwargs=match.kwargs or None)
    name = " ".join(request.POST.get("name", "").split())
    if not name or len(name) > NAME_MAX:
        messages.error(request, _("Give the filter a name of at most %(max)s characters.") % {"max": NAME_MAX})
        return redirect(f"{back}?{query}" if query else back)
    saved, created = SavedFilter.objects.update_or_create(
        user=request.user, list_name=match.view_name, list_kwargs=match.kwargs or {}, name=name,
        defaults={"query": query})
    messages.success(request, (_("Filter “%(name)s” saved.") if created else _("Filter “%(name)s” replaced."))
                     % {"name": name})
    return redirect(url_of(saved))


@requires(SIGNED_IN)
@require_POST
def saved_filter_delete(request, pk):
    try:
        saved = SavedFilter.objects.get(pk=pk, user=request.user)
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    back = reverse(saved.list_name, kwargs=saved.list_kwargs or None)
    query = clean_query(QueryDict(request.POST.get("query", "")))
    saved.delete()
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return redirect(f"{back}?{query}" if query else back)
