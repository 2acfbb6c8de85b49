"""The proposed split of an assigned target: every expected figure below is worked out by hand
(quotas, whole parts, remainders) in the comment beside it, not by the code under test."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from povertyplan.aggregate.split import largest_remainder, split_target

# The Bắc Sơn 2023 units (reference_data.UNITS): households and poor households at the start.
UNITS = ["KP1", "KP2", "KP3", "KP4", "KP5", "KP6", "KP8", "KP9", "KP10", "KP12"]
HOUSEHOLDS = [237, 197, 207, 419, 334, 292, 101, 283, 320, 62]
POOR = [2, 1, 4, 2, 3, 4, 2, 2, 6, 3]  # 29


def test_seven_of_twenty_nine_go_to_the_largest_remainders_ties_to_the_higher_rate():
    # Quotas 7 × poor / 29: KP10 42/29 = 1.448 → 1 (remainder 0.448); KP3, KP6 28/29 = 0.966;
    # KP5, KP12 21/29 = 0.724; KP1, KP4, KP8, KP9 14/29 = 0.483; KP2 7/29 = 0.241. Whole parts
    # give 1, so 6 seats: KP3, KP6, KP5, KP12, then two of the four tied at 0.483, by rate:
    # KP8 2/101 = 1.98 % and KP1 2/237 = 0.84 % before KP9 0.71 % and KP4 0.48 %.
    parts, beyond = split_target(7, POOR, HOUSEHOLDS)
    assert dict(zip(UNITS, parts)) == {
        "KP1": 1,
        "KP2": 0,
        "KP3": 1,
        "KP4": 0,
        "KP5": 1,
        "KP6": 1,
        "KP8": 1,
        "KP9": 0,
        "KP10": 1,
        "KP12": 1,
    }
    assert not beyond


def test_nine_of_twenty_nine():
    # Quotas 9 × poor / 29: KP10 54/29 = 1.862 → 1, r 0.862; KP3, KP6 36/29 = 1.241 → 1, r 0.241;
    # KP5, KP12 27/29 = 0.931; KP1, KP4, KP8, KP9 18/29 = 0.621; KP2 9/29 = 0.310. Whole parts 3,
    # 6 seats: KP5, KP12 (0.931), KP10 (0.862), then three of the four at 0.621 by rate: KP8, KP1, KP9.
    parts, _ = split_target(9, POOR, HOUSEHOLDS)
    assert parts == [1, 0, 1, 0, 1, 1, 1, 1, 2, 1]


def test_equal_remainders_and_equal_rates_go_to_the_unit_listed_first():
    # 2 × 1/3 each: remainders 2/3, rates all 1 %: the first two units.
    assert largest_remainder(2, [1, 1, 1], [1, 1, 1], [100, 100, 100]) == [1, 1, 0]
    assert largest_remainder(1, [2, 2], [2, 2], [100, 100]) == [1, 0]


def test_equal_remainders_go_to_the_higher_rate_whatever_the_order():
    # 1 × 1/3 each; rates 1/300, 1/100, 1/200: the second unit.
    assert largest_remainder(1, [1, 1, 1], [1, 1, 1], [300, 100, 200]) == [0, 1, 0]
    # 0.5 each; rates compared exactly: 3/299 = 1.0033 % above 3/300 = 1 % (both 1,00 % when written).
    assert largest_remainder(1, [3, 3], [3, 3], [300, 299]) == [0, 1]


def test_a_share_above_its_cap_is_capped_and_the_rest_shared_again():
    # Weights 10, 1, 1, total 6: KP-a's share 6 × 10/12 = 5 is above its cap 2: it gets 2; the 4
    # left are shared by the two others, 2 each (within their caps 5).
    assert largest_remainder(6, [10, 1, 1], [2, 5, 5], [100, 100, 100]) == [2, 2, 2]
    # Caps binding in a second round: weights 6, 3, 1, caps 1, 1, 9, total 5. Round 1 (W 10):
    # 3 ≥ 1 and 1.5 ≥ 1, both capped; round 2: the last unit takes the 3 left.
    assert largest_remainder(5, [6, 3, 1], [1, 1, 9], [50, 50, 50]) == [1, 1, 3]


def test_registrations_cap_each_unit_when_they_can_meet_the_target():
    # Poor 10, 5, 5; registered 1, 5, 5; target 5. Shares 2.5, 1.25, 1.25: the first is above its
    # 1 registration, so it gets 1 and the 4 left split 2 and 2 (shares 2, 2).
    assert split_target(5, [10, 5, 5], [500, 500, 500], [1, 5, 5]) == ([1, 2, 2], False)


def test_too_few_registrations_each_unit_gets_its_own_and_the_rest_is_shared_by_poor_households():
    # Poor 4, 4, 2 (households 100, 200, 100), registered 1, 0, 1, target 6: 2 registrations, so
    # each unit first gets them (1, 0, 1); the 4 left are shared by poor households 4, 4, 2 within
    # the room left 3, 4, 1: shares 1.6, 1.6, 0.8 → 1, 1, 0 and 2 seats: the third (0.8), then the
    # tie at 0.6 to the first (4 % above 2 %). Extra 2, 1, 1: targets 3, 1, 2.
    assert split_target(6, [4, 4, 2], [100, 200, 100], [1, 0, 1]) == ([3, 1, 2], True)


def test_registrations_above_the_poor_households_count_as_the_poor_households():
    # A unit cannot give more than its 2 poor households whatever its registrations say.
    assert split_target(3, [2, 2], [100, 100], [5, 1]) == ([2, 1], False)


def test_nothing_assigned_nothing_split_and_all_assigned_everything():
    assert split_target(0, POOR, HOUSEHOLDS) == ([0] * 10, False)
    assert split_target(29, POOR, HOUSEHOLDS)[0] == POOR


def test_a_unit_without_poor_households_never_gets_a_seat():
    # 1.5 each for the two units with poor households: the first is capped at 1, the second takes
    # the other 2; the unit without poor households gets nothing.
    assert largest_remainder(3, [0, 1, 1], [0, 1, 2], [10, 10, 20]) == [0, 1, 2]


small = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 200)), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(small, st.data())
def test_without_caps_binding_every_part_is_its_quota_rounded_down_or_up_and_they_add_up(units, data):
    starts = [poor for poor, _ in units]
    households = [poor + more for poor, more in units]
    total = data.draw(st.integers(0, sum(starts)))
    parts, beyond = split_target(total, starts, households)
    assert sum(parts) == total and not beyond
    for part, start in zip(parts, starts):
        quota = Fraction(total * start, sum(starts)) if sum(starts) else Fraction(0)
        assert math.floor(quota) <= part <= math.ceil(quota) and part <= start


@settings(max_examples=200, deadline=None)
@given(small, st.data())
def test_with_registrations_parts_stay_within_them_unless_they_cannot_meet_the_target(units, data):
    starts = [poor for poor, _ in units]
    households = [poor + more for poor, more in units]
    registered = [data.draw(st.integers(0, poor + 2)) for poor in starts]
    total = data.draw(st.integers(0, sum(starts)))
    parts, beyond = split_target(total, starts, households, registered)
    firm = [min(count, start) for count, start in zip(registered, starts)]
    assert sum(parts) == total and all(part <= start for part, start in zip(parts, starts))
    assert beyond == (sum(firm) < total)
    if beyond:
        assert all(part >= count for part, count in zip(parts, firm))
    else:
        assert all(part <= count for part, count in zip(parts, firm))


def test_the_same_counts_always_give_the_same_split():
    assert len({tuple(split_target(13, POOR, HOUSEHOLDS)[0]) for _ in range(20)}) == 1
