from accounts.scoping import scoped

from .models import Township, Village


def township_list(*, user):
    return scoped(Township.objects.all(), user)


def village_list(*, user):
    return scoped(Village.objects.select_related("township"), user)
