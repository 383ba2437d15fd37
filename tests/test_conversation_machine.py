"""Long conversations as a hypothesis state machine, on SQLite and on DynamoDB Local.

Each step says one thing (the skill's own phrasings, everyday ones it does not know, and
"no"/"repeat" at awkward moments), or ends the session for a reason (known to the ASK model or
not). After every turn the store is read back and checked against what the user was told:

- every "Saved: X, set N of G today." is exactly what the store holds for X;
- "You have N sets left today" is what the store says is left (without what was left out);
- "Okay, I'll leave X out for the rest of today." is on the store's day item;
- "Your streak is N days" and "that's today's goal met" are what the profile holds;
- a set whose last rep was narrated ("That's X finished.") is in the store after the next turn,
  unless that turn was "repeat" (it stays owed) or "no" to "Shall I mark this one done?"
  (then it is never counted);
- "I've taken X out of your routine" and "I've put X back" are what the profile holds, "That
  leaves N sets for today" is what the store says is left, and every reply is said at the
  speaking rate the profile holds (SSML prosody; "slower", "faster", "reset my settings");
- nothing is counted past the goal, and nothing is taken away but by a confirmed reset;
- a reply that keeps the session open ends with a question.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from skill.config import Config
from skill.console import Console, Resolver
from skill.content import EXERCISE_IDS
from skill.entry import make_handler
from skill.locales import strings_for
from skill.progress import current_streak
from skill.ssml import rate_of, to_plain_text
from skill.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
STRINGS = strings_for("en-US")
NAMES = {STRINGS.exercise_name(e): e for e in EXERCISE_IDS}
SAVED = re.compile(r"Saved: (?P<name>[a-z -]+?), set (?P<n>\d+) of (?P<goal>\d+) today\.")
FINISHED = re.compile(r"That's (?P<name>[a-z -]+?) finished\.")
LEFT = re.compile(r"You have (?P<n>\w+) sets? left today")
LEFT_OUT = re.compile(r"Okay, I'll leave (?P<name>[a-z -]+?) out for the rest of today\.")
STREAK = re.compile(r"Your streak is (?P<n>\w+) days?\.")
TAKEN_OUT = re.compile(r"I've taken (?P<name>[a-z -]+?) out of your routine")
PUT_BACK = re.compile(r"I've put (?P<name>[a-z -]+?) back in your routine\.")
LEAVES = re.compile(r"That leaves (?P<n>\w+) sets? for today\.")
# What is said when the goal is met, from the strings, so a rewording cannot silence the check.
GOAL_MET = re.compile(
    "|".join(
        re.escape(STRINGS.raw(key)).replace(r"\{goal\}", r"\d+")
        for key in ("dialog.goal_done_today", "dialog.goal_met_today")
    )
)
MARK_DONE = STRINGS.text("dialog.ask_finish_round")
RESET_DONE = STRINGS.text("dialog.reset_done")
RESOLVER = Resolver.for_locale("en-US")

UTTERANCES = [
    # the skill's own phrasings
    "open leg exercises",
    "start my leg exercises",
    "next",
    "yes",
    "no",
    "stop",
    "cancel",
    "pause",
    "resume",
    "repeat",
    "previous",
    "start over",
    "skip",
    "help",
    "what's left for today",
    "how do I do ankle circles",
    "start pencil pick up",
    "start band foot pulls",
    "list the exercises",
    "how am I doing",
    "reset today",
    "set my goal to two",
    # everyday phrasings the model was not written for
    "go to the next exercise",
    "slower please",
    "it hurts",
    "hang on",
    "what's next",
    "I'm done",
    "that really hurts",
    "how many more reps",
    "which foot am I on",
    "how long is this hold",
    # how a person is coached (issue 19)
    "slower",
    "faster",
    "normal speed",
    "less talking",
    "no countdown",
    "I don't have a resistance band",
    "I don't have a pencil",
    "add band foot pulls back",
    "I have a pencil now",
    "what are my settings",
    "reset my settings",
]
END_REASONS = ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR", "SOMETHING_NEW"]


def _words_number(word: str) -> int:
    return 1 if word == "one" else int(word)


class Conversation(RuleBasedStateMachine):
    """One user, one device, many sessions on one day."""

    store_factory: object = None  # set by the test functions below

    @initialize(
        done=st.fixed_dictionaries({e: st.sampled_from([0, 0, 1, 2, 3]) for e in EXERCISE_IDS}),
        heard_safety=st.booleans(),
    )
    def start(self, done: dict[str, int], heard_safety: bool) -> None:
        """A day already under way (up to one set from the goal), so the goal and the streak
        are reached within a conversation."""
        self.store = self.store_factory()
        self.user = f"amzn1.ask.account.MACHINE{uuid.uuid4().hex.upper()}"
        for exercise_id, count in done.items():
            for _ in range(count):
                self.store.add_set(self.user, TODAY, exercise_id, 3)
        if heard_safety:
            self.store.update_profile(self.user, safety_heard=True)
        handler = make_handler(Config(), self.store)
        self.console = Console(handler, RESOLVER, user_id=self.user, clock=lambda: NOW)
        self.counts = self.stored()
        self.owed: tuple[str, int] | None = None  # a finished set not yet counted
        self.last_text = ""
        self.log: list[str] = []

    def stored(self) -> dict[str, int]:
        return dict(self.store.load(self.user, TODAY).today.done)

    def check_turn(self, utterance: str, response: dict | None) -> None:
        text = to_plain_text(Console.speech_of(response)) if response else ""
        self.log.append(f"{utterance!r} -> {text[-160:]!r}")
        where = "\n".join(self.log[-6:])
        now = self.stored()
        goal = self.store.load(self.user, TODAY).profile.goal
        reset = RESET_DONE in text
        for exercise_id in EXERCISE_IDS:
            before, after = self.counts.get(exercise_id, 0), now.get(exercise_id, 0)
            assert after <= max(3, goal), where
            if not reset:
                assert after >= before, f"{exercise_id} went from {before} to {after}\n{where}"
        for match in SAVED.finditer(text):
            exercise_id = NAMES[match["name"]]
            assert now.get(exercise_id, 0) == int(match["n"]), f"{match[0]} vs {now}\n{where}"
        profile = self.store.load(self.user, TODAY).profile
        for match in STREAK.finditer(text):
            streak = current_streak(profile, TODAY)
            assert _words_number(match["n"]) == streak, f"{match[0]} vs {streak}\n{where}"
        if GOAL_MET.search(text):
            assert profile.last_met_day == TODAY, f"goal met, not recorded\n{where}"
        today = self.store.load(self.user, TODAY).today
        for match in LEFT_OUT.finditer(text):
            assert NAMES[match["name"]] in today.left_out, f"{match[0]} vs {today}\n{where}"
        for match in LEFT.finditer(text):
            left = sum(max(0, goal - now.get(e, 0)) for e in today.active())
            assert _words_number(match["n"]) == left, f"{match[0]} vs {now}\n{where}"
        for match in LEAVES.finditer(text):
            left = today.remaining_total(goal)
            assert _words_number(match["n"]) == left, f"{match[0]} vs {today}\n{where}"
        routine_out = profile.settings.routine_out
        for match in TAKEN_OUT.finditer(text):
            assert NAMES[match["name"]] in routine_out, f"{match[0]} vs {routine_out}\n{where}"
        for match in PUT_BACK.finditer(text):
            assert NAMES[match["name"]] not in routine_out, f"{match[0]}\n{where}"
        if response is not None and text:
            rate = rate_of(Console.speech_of(response))
            assert rate == profile.settings.rate, f"said at {rate}%, stored {profile}\n{where}"
        if self.owed is not None and not reset:
            exercise_id, number = self.owed
            declined = utterance == "no" and self.last_text.rstrip().endswith(MARK_DONE)
            if declined:
                assert now.get(exercise_id, 0) < number, f"a declined set was counted\n{where}"
                self.owed = None
            elif utterance != "repeat":
                assert now.get(exercise_id, 0) >= number, f"a finished set was lost\n{where}"
                self.owed = None
        elif reset:
            self.owed = None
        finished = FINISHED.search(text)
        if finished:
            exercise_id = NAMES[finished["name"]]
            self.owed = (exercise_id, now.get(exercise_id, 0) + 1)
        if response is not None and not response["response"].get("shouldEndSession", True):
            assert text.rstrip().endswith("?"), f"an open reply that asks nothing\n{where}"
        self.counts = now
        self.last_text = text

    @rule(utterance=st.sampled_from(UTTERANCES))
    def say(self, utterance: str) -> None:
        self.check_turn(utterance, self.console.say(utterance))

    @rule(reason=st.sampled_from(END_REASONS))
    def walk_away(self, reason: str) -> None:
        if self.console.in_session:
            self.console.end_session(reason)
            self.check_turn(f"<session ended: {reason}>", None)

    @invariant()
    def never_past_the_goal(self) -> None:
        if hasattr(self, "store"):
            assert all(n <= 3 for n in self.stored().values())


def _run(store_factory, examples: int, steps: int) -> None:
    machine = type("Machine", (Conversation,), {"store_factory": staticmethod(store_factory)})
    machine.TestCase.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    machine.TestCase().runTest()


def test_long_conversations_on_sqlite_keep_what_was_said(tmp_path):
    _run(lambda: SqliteStore(tmp_path / f"{uuid.uuid4().hex}.sqlite3"), examples=60, steps=60)


@pytest.mark.usefixtures("dynamodb_local")
def test_long_conversations_on_dynamodb_keep_what_was_said(dynamo_table):
    from skill.store.dynamodb import DynamoDbStore

    _run(lambda: DynamoDbStore(dynamo_table), examples=12, steps=40)
