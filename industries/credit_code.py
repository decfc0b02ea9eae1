"""Unified social credit codes (GB 32100-2015): 17 characters and a check character, drawn from
the 31 characters below (no I, O, Z, S, V)."""

import re

from django.utils.translation import gettext as _

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(rf"^[{CHARS}]{{18}}$")


class InvalidCreditCode(ValueError):
    pass


def check_character(first17: str) -> str:
    total = sum(CHARS.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARS[(31 - total % 31) % 31]


def normalise(raw: str) -> str:
    """Strip and upper-case; raise InvalidCreditCode with a plain message when it is not valid."""
    code = (raw or "").strip().upper()
    if not PATTERN.match(code):
        raise InvalidCreditCode(_("A unified social credit code has 18 characters: digits and capital letters "
                                  "other than I, O, Z, S and V."))
    if check_character(code[:17]) != code[17]:
        raise InvalidCreditCode(_("The check character of this credit code is wrong; please check each character."))
    return code
