"""Domain errors that services raise and every interface (API, pages, commands) translates.

Bad input is a django.core.exceptions.ValidationError (API: 400 with field errors). A request that
is well-formed but not allowed in the object's current state is a Conflict (API: 409).
"""


class Conflict(Exception):
    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code
