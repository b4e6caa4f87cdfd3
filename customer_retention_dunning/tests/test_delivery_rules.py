"""What became of a reminder and how it is tried again, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.delivery import delivery_state, retry_channel

STATUSES = ("ready", "process", "pending", "sent", "bounce", "exception", "canceled")
CHANNELS = ("email", "letter", "phone", "sms", "whatsapp")


class TestDeliveryState(BaseCase):
    def test_waiting_in_the_queue_is_queued(self):
        self.assertEqual(delivery_state("email", []), "queued")
        self.assertEqual(delivery_state("email", ["ready"]), "queued")
        self.assertEqual(delivery_state("sms", ["process"]), "queued")
        self.assertEqual(delivery_state("letter", ["ready"]), "queued")

    def test_accepted_is_sent(self):
        self.assertEqual(delivery_state("email", ["sent"]), "sent")
        self.assertEqual(delivery_state("letter", ["sent"]), "sent")
        # Odoo calls an SMS the gateway took "Sent" before the delivery report
        self.assertEqual(delivery_state("sms", ["pending"]), "sent")
        self.assertEqual(delivery_state("sms", ["sent"]), "sent")
        # a pending e-mail is not out yet
        self.assertEqual(delivery_state("email", ["pending"]), "queued")

    def test_refused_bounced_or_cancelled_is_failed(self):
        for status in ("exception", "bounce", "canceled"):
            self.assertEqual(delivery_state("email", [status]), "failed")
        # a bounce after the server accepted it: failed
        self.assertEqual(delivery_state("email", ["sent", "bounce"]), "failed")

    def test_a_person_confirms_calls_and_whatsapp(self):
        # no queue says anything of them
        self.assertEqual(delivery_state("phone", ["sent"]), "queued")
        self.assertEqual(delivery_state("whatsapp", ["sent"]), "queued")

    @given(st.sampled_from(CHANNELS), st.lists(st.sampled_from(STATUSES)))
    def test_always_one_of_three_and_a_refusal_always_wins(self, channel, statuses):
        state = delivery_state(channel, statuses)
        self.assertIn(state, ("queued", "sent", "failed"))
        if {"exception", "bounce", "canceled"} & set(statuses):
            self.assertEqual(state, "failed")


class TestRetryChannel(BaseCase):
    ALL = ("email", "letter", "sms", "whatsapp")

    def test_the_chain_text_then_email_then_letter_then_call(self):
        self.assertEqual(retry_channel("sms", 0, 3, self.ALL), "email")
        self.assertEqual(retry_channel("whatsapp", 0, 3, self.ALL), "email")
        self.assertEqual(retry_channel("email", 1, 3, self.ALL), "letter")
        self.assertEqual(retry_channel("letter", 2, 3, self.ALL), "phone")

    def test_a_channel_out_of_reach_is_passed_over(self):
        self.assertEqual(retry_channel("sms", 0, 3, ("letter",)), "letter")
        self.assertEqual(retry_channel("email", 0, 3, ("email",)), "phone")

    def test_the_limit_ends_in_a_call_and_a_failed_call_ends_the_tries(self):
        self.assertEqual(retry_channel("sms", 2, 2, self.ALL), "phone")
        self.assertEqual(retry_channel("sms", 0, 0, self.ALL), "phone")
        self.assertIsNone(retry_channel("phone", 0, 2, self.ALL))
        self.assertIsNone(retry_channel("email", 3, 2, self.ALL))

    @given(
        st.sampled_from(CHANNELS),
        st.integers(min_value=0, max_value=6),
        st.integers(min_value=0, max_value=5),
        st.sets(st.sampled_from(ALL)),
    )
    def test_the_tries_always_end(self, channel, done, limit, reachable):
        # following the chain from any point reaches "no more tries" within
        # the limit plus the chain's length, and never picks what is out of
        # reach (a call is always within reach)
        for _step in range(limit + 6):
            following = retry_channel(channel, done, limit, tuple(reachable))
            if following is None:
                return
            self.assertTrue(following == "phone" or following in reachable)
            channel, done = following, done + 1
        self.fail("the tries did not end")
