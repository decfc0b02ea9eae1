from .navigation import items_for
from .permissions import RULES, can


class Permissions:
    """`can` in templates: `{% if can.subsidies_run_approve %}` asks accounts.permissions.can(user,
    "subsidies.run.approve") (the name with its dots written as underscores); an unknown name is refused (False)."""

    _names = {name.replace(".", "_"): name for name in RULES}

    def __init__(self, user):
        self._user = user
        self._asked = {}  # one request's answers (a template may ask the same name for every row)

    def __getitem__(self, key):
        try:
            return self._asked[key]
        except KeyError:
            pass
        try:
            name = self._names[key]
        except KeyError:
            raise KeyError(f"unknown permission {key!r} in a template") from None
        found = self._asked[key] = can(self._user, name)
        return found

    def __getattr__(self, key):
        if key not in self._names:
            raise AttributeError(key)
        return self[key]


def navigation(request):
    return {"nav_items": items_for(request.user), "can": Permissions(request.user)}
