from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DifficultyFactory, LiaisonFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_post_headcount_at_least_one():
    with pytest.raises(ValidationError):
        PostFactory.build(headcount=0, workshop=PostFactory().workshop).full_clean()


def test_resolved_difficulty_needs_date_not_before_raised():
    difficulty = DifficultyFactory.build(workshop=LiaisonFactory().workshop, status="resolved", resolved_on=None)
    with pytest.raises(ValidationError):
        difficulty.full_clean()
    difficulty.resolved_on = date(2025, 3, 1)  # raised 2025-04-01
    with pytest.raises(ValidationError):
        difficulty.full_clean()
    difficulty.resolved_on = date(2025, 4, 2)
    difficulty.full_clean()


def test_a_department_serves_a_workshop_once():
    liaison = LiaisonFactory()
    with pytest.raises(ValidationError):
        LiaisonFactory.build(workshop=liaison.workshop, department=liaison.department).full_clean()
