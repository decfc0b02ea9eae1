"""Resident ID numbers (GB 11643-1999): 6-digit region, birth date YYYYMMDD, 3-digit sequence whose
last digit is odd for men and even for women, and a check character."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


class InvalidResidentId(ValueError):
    pass


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "male" | "female"


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(raw: str, *, today: date | None = None) -> ResidentId:
    """Normalise (strip, upper-case) and validate; raises InvalidResidentId with a plain message."""
    number = (raw or "").strip().upper()
    if not PATTERN.match(number):
        raise InvalidResidentId(_("An ID number has 17 digits and a final digit or X."))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidResidentId(_("The birth date in this ID number does not exist.")) from None
    if born > (today or date.today()) or born.year < 1900:
        raise InvalidResidentId(_("The birth date in this ID number is impossible."))
    if check_character(number[:17]) != number[17]:
        raise InvalidResidentId(_("The check character of this ID number is wrong; please check each digit."))
    return ResidentId(number=number, birth_date=born, sex="male" if int(number[16]) % 2 else "female")


def mask(number: str) -> str:
    """`511781********123X`: region and the last four characters only. Shown with it outside the
    county roles: the age in years reached this year (`age_this_year`), never the birth date, so
    the month and day stay hidden (about 33 numbers fit any masked number and age; nothing shown
    or sortable narrows them)."""
    return number[:6] + "*" * 8 + number[-4:] if len(number) == 18 else number


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_this_year(birth_date: date, today: date | None = None) -> int:
    """The age reached in the current calendar year: it changes on 1 January for everyone, so
    watching it day by day does not reveal a birthday (an exact age would, the day it changes)."""
    return (today or date.today()).year - birth_date.year
