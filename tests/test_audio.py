"""Hearing the skill: replies rendered with libespeak-ng, every hold and rest measured in the
audio, and the console's countdown.

The recordings go through the real console (resolver, ``make_handler``, SQLite store), one set
of each exercise, with ``--record`` semantics (:class:`skill.audio.AudioOutput` with a
:class:`skill.audio.Recorder`). The pauses are then found in the WAV files by a plain RMS
detector over 10 ms frames, independent of how they were made, and compared with the seed's
numbers in :mod:`skill.content` and :mod:`skill.coaching`.

The speech engine is required, not optional: it comes from PyPI (espeakng-loader, the ``audio``
extra that ``make test`` installs), and a machine without it fails here with the command that
installs it. No espeak-ng program is used.
"""

from __future__ import annotations

import array
import io
import os
import subprocess
import sys
import time
import wave
from operator import mul
from pathlib import Path

import pytest

from skill.audio import (
    INSTALL_AUDIO,
    NO_PLAYER,
    AudioError,
    AudioOutput,
    Recorder,
    Rendering,
    RepTracker,
    Synthesizer,
    WavFormat,
)
from skill.coaching import (
    COUNT_GAP_SECONDS,
    COUNTDOWN_FROM,
    CUE_MIN_SECONDS,
    FIVE_MORE_SECONDS,
    GET_READY_SECONDS,
    SIDE_SWITCH_SECONDS,
)
from skill.config import Config
from skill.console import Console, Resolver, chat, print_reply
from skill.content import EXERCISE_IDS, HoldKind, get_exercise
from skill.entry import make_handler
from skill.locales import strings_for
from skill.ssml import split_on_breaks, spoken_seconds, unwrap
from skill.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[1]

TOLERANCE_SECONDS = 0.3  # a measured hold or rest may differ from the seed by this much
FRAME_SECONDS = 0.01  # the detector's analysis frame
SILENCE_RMS = 0.01  # a frame quieter than 1 % of full scale (-40 dBFS) is silent
# espeak-ng's own pauses between sentences are about 0.35 s; the shortest pause we make is 0.6 s
# (after each number of a countdown, "three, two, one", a second a number).
MIN_PAUSE_SECONDS = 0.5


@pytest.fixture(scope="module")
def synthesizer() -> Synthesizer:
    try:
        return Synthesizer("en-US")
    except AudioError as exc:  # the engine is missing: say how to install it, no skip
        pytest.fail(f"{exc} (these tests need it; `make test` installs it)", pytrace=False)


# --- measuring -----------------------------------------------------------------------------


def read_wav(path: Path) -> tuple[WavFormat, array.array]:
    with wave.open(str(path), "rb") as wav:
        fmt = WavFormat(wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
        data = wav.readframes(wav.getnframes())
    assert fmt.sample_width == 2, f"{path}: expected 16-bit samples, got {fmt}"
    samples = array.array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    return fmt, samples


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def measured_pauses(path: Path) -> list[tuple[float, float]]:
    """``(start, length)`` of every silent run of at least ``MIN_PAUSE_SECONDS``."""
    fmt, samples = read_wav(path)
    step = round(fmt.rate * FRAME_SECONDS) * fmt.channels
    limit = (SILENCE_RMS * 32768) ** 2 * step  # compare sums of squares, no square roots
    runs, start = [], None
    frames = range(0, len(samples), step)
    for index, i in enumerate(frames):
        frame = samples[i : i + step]
        silent = sum(map(mul, frame, frame)) < limit * len(frame) / step
        if silent and start is None:
            start = index
        elif not silent and start is not None:
            runs.append((start, index - start))
            start = None
    if start is not None:
        runs.append((start, len(frames) - start))
    return [
        (s * FRAME_SECONDS, n * FRAME_SECONDS)
        for s, n in runs
        if n * FRAME_SECONDS >= MIN_PAUSE_SECONDS
    ]


def seed_pauses(exercise_id: str) -> list[tuple[str, float]]:
    """Every pause of one set, in order, from the seed data and the coaching constants."""
    exercise = get_exercise(exercise_id)
    pauses = [("get ready", GET_READY_SECONDS)]
    for index, side in enumerate(exercise.sides or (None,)):
        where = f"{side} " if side else ""
        if index:
            pauses.append((f"switch to {side}", SIDE_SWITCH_SECONDS))
        for rep in range(1, exercise.reps + 1):
            if exercise.hold_kind is HoldKind.COUNT:
                pauses += [
                    (f"{where}rep {rep} count {n}", COUNT_GAP_SECONDS)
                    for n in range(1, exercise.hold_amount + 1)
                ]
            else:
                pauses += _timed(f"{where}rep {rep} hold", exercise.hold_seconds, "coach.halfway")
            if rep < exercise.reps:
                pauses += _timed(f"{where}rep {rep} rest", exercise.rest_seconds, "coach.five_more")
    return pauses


def _timed(what: str, seconds: float, cue_key: str) -> list[tuple[str, float]]:
    """The silences of one timed hold or rest (skill/coaching.py's rule): one silence under
    ``CUE_MIN_SECONDS``; else the silence up to the cue word (half a hold, all but five seconds
    of a rest), the one up to the count less the word's estimated time, and after each of
    "three, two, one" a second less the number's estimated time."""
    if seconds < CUE_MIN_SECONDS:
        return [(what, seconds)]
    strings = strings_for("en-US")
    word_at = seconds / 2 if cue_key == "coach.halfway" else seconds - FIVE_MORE_SECONDS
    count_at = seconds - COUNTDOWN_FROM
    word = spoken_seconds(strings.text(cue_key))
    pauses = [(f"{what} to the cue", word_at), (f"{what} to the count", count_at - word_at - word)]
    for n in range(COUNTDOWN_FROM, 0, -1):
        pauses.append((f"{what} count {n}", 1.0 - spoken_seconds(strings.number(n))))
    return pauses


def record_one_set(console: Console, exercise_id: str, directory: Path) -> list[Path]:
    """``start <exercise>``, then "next" until the set is over, each reply recorded."""
    strings = strings_for("en-US")
    name = strings.exercise_name(exercise_id)
    finished = strings.text("coach.set_done", name=name)
    audio = AudioOutput(
        Synthesizer("en-US"), speak=False, recorder=Recorder(directory), warn=pytest.fail
    )
    response = console.say(f"start {name}")
    for _ in range(30):
        ssml = Console.speech_of(response)
        rendering, playback = audio.output(ssml)
        assert rendering is not None and playback is None
        if finished in " ".join(text for text, _ in split_on_breaks(unwrap(ssml))):
            break
        response = console.say("next")
    else:
        raise AssertionError(f"{exercise_id}: the set never ended")
    audio.close()
    return sorted(directory.glob("*.wav"))


# --- one set of every exercise, measured -----------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_every_hold_and_rest_lasts_the_seed_seconds(
    exercise_id, synthesizer, make_console, tmp_path, record_property
):
    files = record_one_set(make_console(), exercise_id, tmp_path / "rec")
    assert [f.name for f in files] == [f"{n:03d}.wav" for n in range(1, len(files) + 1)]

    budget = Config().budget_seconds
    for path in files:
        assert wav_seconds(path) <= budget, f"{path.name} lasts {wav_seconds(path):.1f} s"

    measured = [
        (path.name, start, length) for path in files for start, length in measured_pauses(path)
    ]
    expected = seed_pauses(exercise_id)
    listing = "\n".join(
        f"  {name} at {start:6.2f} s: {length:.2f} s" for name, start, length in measured
    )
    assert len(measured) == len(expected), (
        f"{exercise_id}: {len(measured)} pauses heard, {len(expected)} in the seed:\n{listing}"
    )
    deviations = []
    for (what, seconds), (name, start, length) in zip(expected, measured, strict=True):
        assert abs(length - seconds) <= TOLERANCE_SECONDS, (
            f"{exercise_id}, {what}: {length:.2f} s of silence in {name} at {start:.2f} s, "
            f"the seed says {seconds:g} s"
        )
        deviations.append(abs(length - seconds))
    record_property("max_pause_deviation_s", round(max(deviations), 3))
    print(
        f"{exercise_id}: {len(measured)} pauses, max deviation {max(deviations):.3f} s, "
        f"{sum(map(wav_seconds, files)):.1f} s of audio in {len(files)} files"
    )


def test_a_set_of_tiptoe_walking_is_at_least_its_walks_and_rests_long(
    synthesizer, make_console, tmp_path
):
    walking = get_exercise("tiptoe_walking")
    files = record_one_set(make_console(), walking.id, tmp_path / "rec")
    least = walking.reps * walking.hold_seconds + (walking.reps - 1) * walking.rest_seconds
    assert least == 5 * 20 + 4 * 15
    total = sum(map(wav_seconds, files))
    assert total >= least, f"{len(files)} files hold {total:.1f} s, less than {least:g} s"


# --- rendering ---------------------------------------------------------------------------------


def test_chained_breaks_are_silence_of_their_sum_to_the_frame(synthesizer):
    rendering = synthesizer.render(
        '<speak>Keep going. <break time="10s"/><break time="10s"/>'
        '<break time="500ms"/> And come down.</speak>'
    )
    fmt = rendering.format
    assert fmt.channels == 1 and fmt.sample_width == 2  # the engine's format: 16-bit mono
    assert fmt.rate == 22050  # what espeak_Initialize returned
    first, second = rendering.pieces
    assert first.pause_seconds == 20.5
    start = round(first.speech_end * fmt.rate) * fmt.frame_bytes
    stop = round(first.end * fmt.rate) * fmt.frame_bytes
    assert rendering.frames[start:stop] == b"\x00" * (round(20.5 * fmt.rate) * fmt.frame_bytes)
    assert second.start == first.end and second.pause_seconds == 0
    assert rendering.seconds == pytest.approx(second.speech_end)


def test_a_german_reply_is_spoken_with_a_german_voice(synthesizer, tmp_path):
    german = Console(
        make_handler(Config(default_timezone="UTC"), SqliteStore(tmp_path / "p.sqlite3")),
        Resolver.for_locale("de-DE"),
        user_id="amzn1.ask.account.GERMAN",
        locale="de-DE",
    )
    ssml = Console.speech_of(german.say("öffne beinübungen"))
    assert "Übung" in ssml or "heute" in ssml, ssml  # the skill answered in German

    audio = AudioOutput.open(False, tmp_path / "rec", "de-DE", warn=pytest.fail)
    assert audio is not None and audio.synthesizer is not None
    assert audio.synthesizer.voice == "de"  # there is no de-de voice: the language's
    rendering, _ = audio.output(ssml)
    assert rendering is not None
    assert (tmp_path / "rec" / "001.wav").exists()

    # The same text in the English voice sounds different (other phonemes, other length).
    english = Synthesizer("en-US").render(ssml)
    assert english.frames != rendering.frames
    assert english.seconds != pytest.approx(rendering.seconds, abs=0.05)


def test_the_engine_s_voice_is_chosen_again_for_every_piece(synthesizer):
    """libespeak-ng has one current voice per process: a German synthesizer in between must not
    change what the English one says. Numbers show the voice: "twenty-one" in English,
    "einundzwanzig" in German. (The engine's wave generator carries its state from one
    utterance to the next, so a repeat is within a few frames, not identical.)"""
    text = "Rep 21 of 37."

    def seconds(locale: str) -> float:
        fmt, frames = Synthesizer(locale).speech(text)  # a fresh cache each time
        return len(frames) / fmt.frame_bytes / fmt.rate

    english, german, english_again = seconds("en-US"), seconds("de-DE"), seconds("en-US")
    assert german > 1.2 * english, (english, german)
    assert english_again == pytest.approx(english, rel=0.03), (english, german, english_again)


def test_voices_follow_the_locale_down_to_the_language():
    assert Synthesizer("en-US").voice == "en-us"
    assert Synthesizer("en-GB").voice == "en"  # British English is espeak-ng's "en"
    assert Synthesizer("fr-CA").voice == "fr"
    assert Synthesizer("xx-YY").voice == "en"  # no voice at all: English
    with pytest.raises(AudioError, match="no voice 'no-such-voice'"):
        Synthesizer(voice="no-such-voice")


def test_recording_into_a_file_path_is_an_error_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(AudioError, match=r"^leg-skill: cannot record into .*a-file[^\n]*$"):
        AudioOutput.open(True, blocker, "en-US", warn=pytest.fail)


def test_recordings_are_numbered_after_those_already_there(tmp_path):
    (tmp_path / "007.wav").write_bytes(b"")
    (tmp_path / "notes.wav").write_bytes(b"")
    rendering = Rendering(WavFormat(1, 2, 16000), b"\x00\x00" * 1600, ())
    recorder = Recorder(tmp_path)
    assert recorder.save(rendering).name == "008.wav"
    assert recorder.save(rendering).name == "009.wav"
    assert wav_seconds(tmp_path / "009.wav") == pytest.approx(0.1)


# --- the countdown -----------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeTime:
    """A clock that moves only when slept on."""

    def __init__(self):
        self.now = 0.0
        self.naps: list[float] = []

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.naps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_the_countdown_shows_seconds_left_and_the_rep(console):
    reply = Console.speech_of(console.say("start band foot pulls"))
    out, fake = FakeTerminal(), FakeTime()
    print_reply(
        reply, out, realtime=True, sleep=fake.sleep, tracker=RepTracker(strings_for("en-US"))
    )
    frames = out.getvalue().split("\r")

    pauses = [p for _, p in split_on_breaks(unwrap(reply)) if p]
    assert fake.now == pytest.approx(sum(pauses))  # every pause waited out, nothing more

    pulls = get_exercise("band_foot_pulls")
    rep3 = [f for f in frames if "rep 3 of 10, left foot" in f]
    hold = [f for f in rep3 if f"] {pulls.hold_seconds:>3g} s left" in f]
    assert hold, "no frame counts down the hold of rep 3:\n" + "\n".join(rep3)
    # The hold of rep 3 and the rest after it count down every second, 5 4 3 2 1 then 2 1.
    seconds_left = [int(f.split(" s left")[0].split()[-1]) for f in rep3 if " s left" in f]
    shown = [s for i, s in enumerate(seconds_left) if i == 0 or s != seconds_left[i - 1]]
    assert shown == [5, 4, 3, 2, 1, 2, 1]
    assert all(f.endswith("\x1b[K") for f in rep3 if " s left" in f)
    assert "[" + "#" * 12 in "".join(rep3)  # the bar fills as time passes
    # Before any rep: the exercise and the first side; after a pause, its length in the text.
    assert any("band foot pulls, left foot" in f for f in frames)
    assert "[3 s] Rep 1." in out.getvalue()


def test_the_countdown_is_plain_text_off_a_terminal(console):
    reply = Console.speech_of(console.say("start band foot pulls"))
    out, fake = io.StringIO(), FakeTime()
    print_reply(reply, out, realtime=True, sleep=fake.sleep)
    text = out.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert "Hold it there. [5 s] And release. [2 s] Rep 2." in text
    assert fake.now == pytest.approx(sum(p for _, p in split_on_breaks(unwrap(reply))))


def test_the_tracker_follows_reps_sides_and_exercises_across_replies():
    tracker = RepTracker(strings_for("en-US"))
    tracker.heard(
        "Pencil pick-up. Set 1 of 3 today. We'll do 5 reps on each side, "
        "left foot first. Get ready."
    )
    assert tracker.label() == "pencil pick-up, left foot"
    tracker.heard("Rep 3. Pick it up. Hold it.")
    assert tracker.label() == "rep 3 of 5, left foot"
    tracker.heard("Now switch to your right foot.")
    assert tracker.label() == "pencil pick-up, right foot"
    tracker.heard("Rep 1. Now with your right foot: pick up the pencil with your toes. Hold it.")
    assert tracker.label() == "rep 1 of 5, right foot"
    tracker.heard("Back to toe grips, picking up where you left off. Rep 4. Grip. one")
    assert tracker.label() == "rep 4 of 10"
    tracker.heard("Ankle circles. Set 2 of 3 today. We'll do one on each side, left leg first.")
    tracker.heard("Lift your left leg and draw slow clockwise circles with your ankle. one")
    assert tracker.label() == "ankle circles, left leg"


def test_speech_and_countdown_stay_in_step_with_the_audio(synthesizer):
    """With audio playing, each pause counts down only once its speech has been heard."""
    rendering = synthesizer.render(
        '<speak>Rep 3. Pull back. Hold it there. <break time="5s"/>'
        ' And release. <break time="2s"/> Rep 4.</speak>'
    )
    out, fake = FakeTerminal(), FakeTime()
    seen: list[tuple[float, str]] = []

    def sleep(seconds: float) -> None:
        seen.append((fake.now, out.getvalue()))
        fake.sleep(seconds)

    print_reply(
        "",
        out,
        realtime=True,
        sleep=sleep,
        timeline=rendering.pieces,
        clock=fake.clock,
        tracker=RepTracker(strings_for("en-US")),
    )
    first = rendering.pieces[0]
    bars = [t for t, text in seen if text.endswith("\x1b[K")]
    assert bars and bars[0] == pytest.approx(first.speech_end)  # silence starts when speech ends
    assert "   5 s left  rep 3" in out.getvalue()
    assert fake.now == pytest.approx(rendering.seconds)  # the screen ends with the audio


# --- the command line --------------------------------------------------------------------------


def _run_chat(
    tmp_path: Path, lines: str, *options: str, path: str | None = None, shadow: str | None = None
):
    """``leg-skill chat`` in a child process. ``shadow`` is the source of an ``espeakng_loader``
    module put ahead of the installed one (PYTHONPATH), to play a machine without the engine."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "TZ": "UTC"}
    if path is not None:
        env["PATH"] = path
    if shadow is not None:
        shadow_dir = tmp_path / "shadow"
        shadow_dir.mkdir()
        (shadow_dir / "espeakng_loader.py").write_text(shadow)
        env["PYTHONPATH"] = str(shadow_dir)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "skill",
            "chat",
            "--store",
            str(tmp_path / "p.sqlite3"),
            "--timezone",
            "UTC",
            *options,
        ],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


TWO_LINES = "ask leg exercises what's left for today\nlist the exercises\n"
NOT_INSTALLED = "raise ImportError('No module named espeakng_loader')\n"
BROKEN = (
    "def get_library_path():\n"
    "    return '/nonexistent/libespeak-ng.so'\n"
    "def get_data_path():\n"
    "    return '/nonexistent/espeak-ng-data'\n"
)


def test_the_shadow_really_hides_the_engine(tmp_path):
    """The stand-in for a machine without espeakng-loader works (else the tests below prove
    nothing): the child cannot import it."""
    shadow_dir = tmp_path / "shadow"
    shadow_dir.mkdir()
    (shadow_dir / "espeakng_loader.py").write_text(NOT_INSTALLED)
    result = subprocess.run(
        [sys.executable, "-c", "import espeakng_loader"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(shadow_dir)},
        timeout=60,
    )
    assert result.returncode != 0 and "ImportError" in result.stderr


def test_record_without_the_engine_says_how_to_install_it_and_stops_before_the_chat(tmp_path):
    rec = tmp_path / "rec"
    result = _run_chat(tmp_path, TWO_LINES, "--record", str(rec), shadow=NOT_INSTALLED)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leg-skill: ") and lines[0].endswith(INSTALL_AUDIO)
    assert INSTALL_AUDIO == "pip install 'leg-skill[audio]'"
    assert "Alexa:" not in result.stdout  # the chat never started
    assert not rec.exists() or not list(rec.iterdir())


def test_record_with_an_engine_that_cannot_load_stops_too(tmp_path):
    result = _run_chat(tmp_path, TWO_LINES, "--record", str(tmp_path / "rec"), shadow=BROKEN)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot load libespeak-ng" in lines[0] and lines[0].endswith(INSTALL_AUDIO)
    assert "Alexa:" not in result.stdout


def test_record_into_a_directory_that_cannot_be_made_stops_before_the_chat(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = _run_chat(tmp_path, TWO_LINES, "--record", str(blocker / "rec"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"leg-skill: cannot record into {blocker / 'rec'}: Not a directory"
    ]
    assert "Alexa:" not in result.stdout


def test_speak_without_the_engine_says_how_to_install_it_once_and_chats_on(tmp_path):
    result = _run_chat(tmp_path, TWO_LINES, "--speak", shadow=NOT_INSTALLED)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leg-skill: replies stay text: ") and lines[0].endswith(
        INSTALL_AUDIO
    )
    assert "You have 15 sets left today" in result.stdout
    assert result.stdout.count("Alexa:") == 2


def test_speak_without_a_player_says_so_once_chats_on_and_still_records(tmp_path):
    empty = tmp_path / "bin"  # no aplay, paplay or play on this PATH
    empty.mkdir()
    rec = tmp_path / "rec"
    result = _run_chat(tmp_path, TWO_LINES, "--speak", "--record", str(rec), path=str(empty))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [NO_PLAYER]
    assert "You have 15 sets left today" in result.stdout
    assert result.stdout.count("Alexa:") == 2
    assert sorted(f.name for f in rec.iterdir()) == ["001.wav", "002.wav"]


def test_record_writes_each_reply_as_a_numbered_wav(synthesizer, tmp_path):
    result = _run_chat(
        tmp_path,
        "open leg exercises\nyes\n",
        "--record",
        str(tmp_path / "rec"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    files = sorted((tmp_path / "rec").iterdir())
    assert [f.name for f in files] == ["001.wav", "002.wav"]
    for f in files:
        fmt, samples = read_wav(f)
        assert (fmt.channels, fmt.rate) == (1, 22050)
        assert 1 < wav_seconds(f) < Config().budget_seconds
        assert max(map(abs, samples)) > 3000  # speech, not silence


def test_chat_plays_each_reply_in_the_background_while_the_screen_follows(synthesizer, tmp_path):
    """A stand-in player (it sleeps for the WAV's length) and a real clock: speech and screen
    run side by side, so a reply takes as long as its audio, not twice as long."""
    ssml = '<speak>Rep 3. Hold it there. <break time="1500ms"/> And release.</speak>'
    response = {
        "version": "1.0",
        "response": {"outputSpeech": {"type": "SSML", "ssml": ssml}, "shouldEndSession": True},
    }
    console = Console(
        lambda envelope, context: response,
        Resolver.for_locale("en-US"),
        user_id="amzn1.ask.account.PLAYER",
    )
    log = tmp_path / "player.log"
    player = tmp_path / "player.py"
    player.write_text(
        "import sys, time, wave\n"
        "with wave.open(sys.argv[1]) as w:\n"
        "    seconds = w.getnframes() / w.getframerate()\n"
        f"open({str(log)!r}, 'a').write(f'{{time.monotonic()}} {{seconds}} {{sys.argv[1]}}\\n')\n"
        "time.sleep(seconds)\n"
    )
    audio = AudioOutput(
        synthesizer, speak=True, player=[sys.executable, str(player)], warn=pytest.fail
    )
    expected = synthesizer.render(ssml).seconds
    out = io.StringIO()
    began = time.monotonic()
    chat(console, ["hello"], out=out, realtime=True, audio=audio)
    elapsed = time.monotonic() - began

    started, heard, played = log.read_text().split()
    started, heard = float(started), float(heard)
    assert heard == pytest.approx(expected, abs=1e-3)  # the player got the whole reply
    assert started - began < 0.5  # and started at once, not after the text
    assert expected <= elapsed < expected + 1.0
    assert "Hold it there. [1.5 s] And release." in out.getvalue()
    assert not Path(played).exists() and not Path(played).parent.exists()  # cleaned up


def test_a_slower_reply_is_spoken_slower_and_its_pauses_keep_their_length(synthesizer):
    """ "Slower" (issue 19): the console hears the rate the skill sets with SSML prosody."""
    from skill.ssml import at_rate

    reply = '<speak>Lift your heels and walk on your toes. <break time="10s"/> Rest.</speak>'
    normal, slow = synthesizer.render(reply), synthesizer.render(at_rate(reply, 70))
    assert [p.text for p in slow.pieces] == [p.text for p in normal.pieces]
    assert slow.pieces[0].pause_seconds == normal.pieces[0].pause_seconds == 10.0
    assert slow.pieces[0].speech_seconds > normal.pieces[0].speech_seconds
    # espeak's words per minute scale with the rate: 70% takes about 1/0.7 as long to say.
    ratio = slow.pieces[0].speech_seconds / normal.pieces[0].speech_seconds
    assert 1.25 < ratio < 1.6
