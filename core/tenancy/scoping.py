"""The only way this code base turns a tenancy scope on: never 'all parks' by accident.

django-scopes reads scope(park=None) as "no filter"; park_scope refuses it, so an unresolved park
can never widen a query to every park.
"""

from contextlib import contextmanager

from django_scopes import scope


@contextmanager
def park_scope(parks):
    """Scope park-owned queries to one park or to a list of parks (a county viewer's)."""
    if parks is None:
        raise ValueError("park_scope needs a park or a list of parks, never None")
    if isinstance(parks, (list, tuple, set, frozenset)):
        ids = sorted(p if isinstance(p, int) else p.pk for p in parks)
        with scope(park=ids):
            yield
    else:
        with scope(park=parks):
            yield


def branch_rows(queryset, access, field: str = "branch_id"):
    """Rows that belong to a branch: park-wide roles see them all, a branch secretary those of their
    own organisations (and every organisation below them). Pages and the API narrow by this one rule."""
    if access.sees_whole_park:
        return queryset
    return queryset.filter(**{f"{field}__in": access.organisation_ids})
