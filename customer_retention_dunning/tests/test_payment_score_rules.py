"""The scoring rule on plain dates and amounts, without a database."""

from datetime import date, timedelta
from math import fsum

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.payment_score import (
    OpenItem,
    PaidChunk,
    ScoreParams,
    compute_payment_score,
    lateness_penalty,
    net_open_items,
    open_totals,
    recency_weight,
    score_band,
)
from ..tools.value_at_risk import value_at_risk

TODAY = date(2026, 6, 30)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, database=None, derandomize=True
)


def _chunk(amount, due_age, days_late, key):
    due = TODAY - timedelta(days=due_age)
    return PaidChunk(amount, due, due + timedelta(days=days_late), key)


@st.composite
def paid_histories(draw, min_size=3, max_size=25, late=(-30, 200), max_age=720):
    """A list of paid chunks, each paid no later than today."""
    size = draw(st.integers(min_size, max_size))
    chunks = []
    for key in range(size):
        due_age = draw(st.integers(0, max_age))
        days_late = draw(st.integers(late[0], min(late[1], due_age)))
        amount = draw(st.floats(1.0, 100_000.0, allow_nan=False))
        chunks.append(_chunk(amount, due_age, days_late, key))
    return chunks


open_items = st.lists(
    st.builds(
        OpenItem,
        st.floats(1.0, 50_000.0, allow_nan=False),
        st.integers(-60, 800).map(lambda age: TODAY - timedelta(days=age)),
        st.integers(1000, 2000),
    ),
    max_size=6,
)


def _chunk_around(amount, due_age, days_late, key):
    """A chunk paid a day or two either side of its due date (the edges of
    the penalty), which may be due in the future or be of no amount."""
    due = TODAY - timedelta(days=due_age)
    return PaidChunk(amount, due, due + timedelta(days=days_late), key)


def _mean_days_late_as_written(chunks):
    total = fsum(c.amount for c in chunks)
    if total <= 0:
        return None
    return fsum(c.amount * max((c.date_paid - c.date_due).days, 0) for c in chunks) / (
        total
    )


def _score_as_written(paid_chunks, open_items, today, open_credit, params):
    """The rule of the module docstring, term by term and list by list, as
    it was computed before the one-pass version: the reference the fast
    version must equal to the last bit."""
    chunks = [c for c in paid_chunks if c.amount > 0]
    open_now = net_open_items(open_items, open_credit)
    overdue = [i for i in open_now if i.date_due < today]
    paid = [
        (
            c.amount * recency_weight((today - c.date_due).days, params.half_life_days),
            (c.date_paid - c.date_due).days,
        )
        for c in chunks
    ]
    owed = [(i.amount, (today - i.date_due).days) for i in overdue]
    paid_weight = fsum(w for w, _d in paid)
    overdue_amount = fsum(a for a, _d in owed)
    total_weight = paid_weight + overdue_amount
    weighted_penalty = fsum(
        w * lateness_penalty(d, params.full_penalty_days) for w, d in paid + owed
    )
    open_amount = fsum(i.amount for i in open_now)
    judged = {c.invoice_key for c in chunks} | {i.invoice_key for i in overdue}
    history_count = len(judged - {None}) + sum(
        1 for item in [*chunks, *overdue] if item.invoice_key is None
    )
    since = today - timedelta(days=params.trend_window_days)
    recent = _mean_days_late_as_written([c for c in chunks if c.date_paid > since])
    older = _mean_days_late_as_written([c for c in chunks if c.date_paid <= since])
    score = None
    if history_count >= params.min_history and total_weight > 0:
        penalty = min(max(weighted_penalty / total_weight, 0.0), 1.0)
        score = min(
            max(int(100.0 * (1.0 - penalty) ** params.penalty_exponent + 0.5), 0), 100
        )
    late_days = fsum(w * max(d, 0) for w, d in paid)
    on_time = fsum(w for w, d in paid if d <= 0)
    late_owed = fsum(a * d for a, d in owed)
    return {
        "score": score,
        "avg_days_late": late_days / paid_weight if paid_weight else 0.0,
        "on_time_share": 100.0 * on_time / paid_weight if paid_weight else 0.0,
        "overdue_share": 100.0 * overdue_amount / open_amount if open_amount else 0.0,
        "overdue_avg_days": late_owed / overdue_amount if overdue_amount else 0.0,
        "trend_days": (
            recent - older if recent is not None and older is not None else None
        ),
        "history_count": history_count,
        "open_amount": open_amount,
        "overdue_amount": overdue_amount,
    }


def _totals_as_written(items, today, curve):
    overdue = [item for item in items if item.date_due < today]
    return (
        round(sum(item.amount for item in items), 2),
        round(sum(item.amount for item in overdue), 2),
        round(
            sum(
                value_at_risk(item.amount, (today - item.date_due).days, curve)
                for item in overdue
            ),
            2,
        ),
    )


class TestPaymentScoreRules(BaseCase):
    @PROPERTY_SETTINGS
    @given(
        paid_histories(min_size=0),
        open_items,
        st.floats(0, 100_000, allow_nan=False),
        st.integers(0, 10),
        st.integers(0, 10),
        st.integers(0, 5),
        st.integers(0, 5),
    )
    def test_score_always_within_0_and_100(
        self, chunks, items, credit, kept, broken, plans_kept, plans_broken
    ):
        result = compute_payment_score(
            chunks,
            items,
            TODAY,
            open_credit=credit,
            promises_kept=kept,
            promises_broken=broken,
            plans_kept=plans_kept,
            plans_broken=plans_broken,
        )
        if result.score is None:
            self.assertEqual(result.band, "none")
        else:
            self.assertGreaterEqual(result.score, 0)
            self.assertLessEqual(result.score, 100)
            self.assertNotEqual(result.band, "none")

    @PROPERTY_SETTINGS
    @given(paid_histories(), open_items, st.data())
    def test_paying_later_never_raises_the_score(self, chunks, items, data):
        index = data.draw(st.integers(0, len(chunks) - 1))
        chunk = chunks[index]
        room = (TODAY - chunk.date_paid).days
        if room < 1:
            return
        delay = data.draw(st.integers(1, room))
        later = list(chunks)
        later[index] = PaidChunk(
            chunk.amount,
            chunk.date_due,
            chunk.date_paid + timedelta(days=delay),
            chunk.invoice_key,
        )
        before = compute_payment_score(chunks, items, TODAY)
        after = compute_payment_score(later, items, TODAY)
        self.assertLessEqual(after.score, before.score)

    @PROPERTY_SETTINGS
    @given(paid_histories(late=(-30, 0)), open_items)
    def test_always_paying_on_time_scores_at_least_90(self, chunks, items):
        not_yet_due = [item for item in items if item.date_due >= TODAY]
        result = compute_payment_score(chunks, not_yet_due, TODAY)
        self.assertGreaterEqual(result.score, 90)
        self.assertEqual(result.band, "excellent")

    @PROPERTY_SETTINGS
    @given(
        st.integers(3, 30),
        st.floats(0.0, 0.25),
        st.floats(500.0, 5_000.0),
        st.data(),
    )
    def test_paying_60_days_late_on_most_invoices_scores_at_most_30(
        self, count, on_time_ratio, amount, data
    ):
        """'Most': at least three invoices in four, of one size, all fallen
        due in the last six months (so recency cannot turn the balance)."""
        on_time = int(count * on_time_ratio)
        chunks = []
        for key in range(count):
            due_age = data.draw(st.integers(60, 180))
            if key < on_time:
                days_late = data.draw(st.integers(-10, 0))
            else:
                days_late = data.draw(st.integers(60, due_age))
            chunks.append(_chunk(amount, due_age, days_late, key))
        result = compute_payment_score(chunks, [], TODAY)
        self.assertLessEqual(result.score, 30)
        self.assertEqual(result.band, "risk")

    @PROPERTY_SETTINGS
    @given(paid_histories(min_size=0), open_items, st.floats(0, 10_000))
    def test_score_is_deterministic(self, chunks, items, credit):
        first = compute_payment_score(chunks, items, TODAY, open_credit=credit)
        again = compute_payment_score(
            list(reversed(chunks)), list(reversed(items)), TODAY, open_credit=credit
        )
        self.assertEqual(first, again)

    @PROPERTY_SETTINGS
    @given(
        paid_histories(min_size=0),
        st.lists(
            st.builds(
                OpenItem,
                st.floats(0.001, 50_000.0, allow_nan=False),
                st.integers(-60, 800).map(lambda age: TODAY - timedelta(days=age)),
                st.one_of(st.none(), st.integers(1, 12)),
            ),
            max_size=8,
        ),
        st.lists(
            st.builds(
                _chunk_around,
                st.floats(-1_000.0, 1_000.0, allow_nan=False),
                st.integers(-30, 700),
                st.integers(-2, 2),
                st.one_of(st.none(), st.integers(0, 12)),
            ),
            max_size=6,
        ),
        st.floats(0, 60_000, allow_nan=False),
        st.sampled_from([0, 1, 180, 365]),
        st.sampled_from([0, 1, 60]),
        st.integers(0, 200),
    )
    def test_one_pass_equals_the_rule_as_written(
        self, chunks, items, odd_chunks, credit, half_life, full_days, window
    ):
        """Every figure of the score, to the last bit, and the amounts of
        the open items, against the rule computed term by term (half-lives,
        full penalties and trend windows included at their edges)."""
        params = ScoreParams(
            half_life_days=half_life,
            full_penalty_days=full_days,
            trend_window_days=window,
            min_history=1,
        )
        chunks = chunks + odd_chunks
        result = compute_payment_score(
            chunks, items, TODAY, open_credit=credit, params=params
        )
        expected = _score_as_written(chunks, items, TODAY, credit, params)
        self.assertEqual({name: getattr(result, name) for name in expected}, expected)
        self.assertEqual(result.band, score_band(expected["score"], params))
        curve = ((90, 13.0), (180, 36.0), (365, 57.0), (730, 91.0))
        netted = net_open_items(items, credit)
        self.assertEqual(
            open_totals(netted, TODAY, curve),
            _totals_as_written(netted, TODAY, curve),
        )

    def test_recent_behaviour_weighs_more_than_old(self):
        old_late_recent_good = [
            _chunk(1000, 400, 45, 1),
            _chunk(1000, 380, 45, 2),
            _chunk(1000, 20, 0, 3),
            _chunk(1000, 10, 0, 4),
        ]
        old_good_recent_late = [
            _chunk(1000, 400, 0, 1),
            _chunk(1000, 380, 0, 2),
            _chunk(1000, 60, 45, 3),
            _chunk(1000, 50, 45, 4),
        ]
        improved = compute_payment_score(old_late_recent_good, [], TODAY)
        worsened = compute_payment_score(old_good_recent_late, [], TODAY)
        self.assertGreater(improved.score, worsened.score)
        self.assertEqual(improved.avg_days_late < worsened.avg_days_late, True)

    def test_too_little_history_gives_no_score(self):
        result = compute_payment_score(
            [_chunk(1000, 30, 0, 1), _chunk(500, 20, 0, 2)], [], TODAY
        )
        self.assertIsNone(result.score)
        self.assertEqual(result.band, "none")
        self.assertEqual(result.history_count, 2)

    def test_an_invoice_partly_paid_and_partly_overdue_counts_once(self):
        due = TODAY - timedelta(days=40)
        result = compute_payment_score(
            [PaidChunk(300, due, due, 7)],
            [OpenItem(700, due, 7)],
            TODAY,
            params=ScoreParams(min_history=1),
        )
        self.assertEqual(result.history_count, 1)
        self.assertEqual(result.overdue_amount, 700)
        self.assertAlmostEqual(result.overdue_share, 100.0)
        self.assertAlmostEqual(result.overdue_avg_days, 40.0)

    def test_overdue_open_money_lowers_the_score(self):
        history = [_chunk(1000, age, 0, age) for age in (100, 130, 160)]
        clean = compute_payment_score(history, [], TODAY)
        overdue = compute_payment_score(
            history, [OpenItem(2000, TODAY - timedelta(days=75), 99)], TODAY
        )
        not_due = compute_payment_score(
            history, [OpenItem(2000, TODAY + timedelta(days=10), 99)], TODAY
        )
        self.assertEqual(clean.score, 100)
        self.assertEqual(not_due.score, 100)
        self.assertLess(overdue.score, 50)
        self.assertAlmostEqual(not_due.overdue_share, 0.0)

    def test_open_credit_settles_the_oldest_overdue_first(self):
        items = [
            OpenItem(400, TODAY - timedelta(days=10), "b"),
            OpenItem(300, TODAY - timedelta(days=90), "a"),
            OpenItem(500, TODAY + timedelta(days=20), "c"),
        ]
        rest = net_open_items(items, 500)
        self.assertEqual(
            [(item.invoice_key, round(item.amount, 2)) for item in rest],
            [("b", 200.0), ("c", 500.0)],
        )

    def test_promises_and_plans_move_the_score(self):
        history = [_chunk(1000, age, 20, age) for age in (100, 130, 160)]
        base = compute_payment_score(history, [], TODAY).score
        broken = compute_payment_score(history, [], TODAY, promises_broken=2).score
        kept = compute_payment_score(history, [], TODAY, plans_kept=1).score
        plan_broken = compute_payment_score(history, [], TODAY, plans_broken=1).score
        self.assertEqual(broken, base - 14)
        self.assertEqual(kept, base + 4)
        self.assertEqual(plan_broken, base - 10)

    def test_trend_compares_the_last_90_days_with_before(self):
        chunks = [
            _chunk(1000, 300, 40, 1),
            _chunk(1000, 250, 40, 2),
            _chunk(1000, 60, 10, 3),
        ]
        result = compute_payment_score(chunks, [], TODAY)
        self.assertAlmostEqual(result.trend_days, -30.0)
        self.assertIsNone(
            compute_payment_score(
                chunks[:2], [], TODAY, params=ScoreParams()
            ).trend_days
        )

    def test_bands_follow_the_thresholds(self):
        params = ScoreParams(
            threshold_excellent=90, threshold_good=75, threshold_watch=40
        )
        self.assertEqual(score_band(90, params), "excellent")
        self.assertEqual(score_band(89, params), "good")
        self.assertEqual(score_band(75, params), "good")
        self.assertEqual(score_band(74, params), "watch")
        self.assertEqual(score_band(40, params), "watch")
        self.assertEqual(score_band(39, params), "risk")
        self.assertEqual(score_band(None, params), "none")

    def test_only_very_late_money_scores_zero_despite_float_rounding(self):
        # amounts whose separately rounded sums differ from their joint sum
        # in the last bit: the weighted penalty must still not exceed 1
        paid = [
            _chunk(amount, 150, 90, key)
            for key, amount in enumerate((444.90555510731735, 36.21457446099617))
        ]
        overdue = [
            OpenItem(amount, TODAY - timedelta(days=90), 10 + key)
            for key, amount in enumerate((2361.753972637007, 1898.6965013953152))
        ]
        params = ScoreParams(half_life_days=0, min_history=1)
        result = compute_payment_score(paid, overdue, TODAY, params=params)
        self.assertEqual(result.score, 0)
