"""Hear the skill on a laptop: replies rendered to WAV with espeak-ng, pauses exact to the frame.

espeak-ng reads SSML, but it merges consecutive ``<break>`` tags (two chained 10 s breaks play as
about 10 s with espeak-ng 1.51), so the pauses are rendered here instead. A reply is split on its
breaks (:func:`skill.ssml.split_on_breaks`, chained breaks summed); each text piece is synthesised
on its own with ``espeak-ng -w``, the silence espeak-ng leaves at its edges is trimmed, and the
pause after it is written as digital silence of exactly ``round(seconds * rate)`` frames in
espeak-ng's own format (read from its output). The pieces join into one WAV per reply, so what is
played is what ``--record`` keeps, and :class:`Rendering` knows when each piece starts, how long
it speaks and how long the silence after it lasts (for the console's countdown).

:class:`RepTracker` follows the exercise, rep and side through the replies, for the console's
countdown. Only the standard library is used (``wave``, ``array``, ``subprocess``).
"""

from __future__ import annotations

import array
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .content import EXERCISE_IDS, EXERCISES, Exercise, get_exercise
from .locales import Strings
from .ssml import split_on_breaks, unwrap

__all__ = [
    "ESPEAK",
    "ESPEAK_MISSING",
    "NO_PLAYER",
    "PLAYERS",
    "AudioError",
    "AudioOutput",
    "Piece",
    "Playback",
    "Recorder",
    "Rendering",
    "RepTracker",
    "Synthesizer",
    "WavFormat",
    "find_player",
    "voice_for_locale",
]

ESPEAK = "espeak-ng"
ESPEAK_MISSING = (
    "leg-skill: espeak-ng is not installed, so replies stay text "
    "(Debian/Ubuntu: apt-get install espeak-ng)"
)
NO_PLAYER = (
    "leg-skill: no audio player found (aplay, paplay or sox's play), so replies are "
    "not played (Debian/Ubuntu: apt-get install alsa-utils, or sox)"
)

# Players that take a WAV file, first found wins. aplay (ALSA) is on nearly every Linux desktop
# and reaches PulseAudio/PipeWire through their ALSA plugins; sox's play also works on macOS.
PLAYERS: tuple[tuple[str, ...], ...] = (("aplay", "-q"), ("paplay",), ("play", "-q"))

# espeak-ng pads every clause with ~0.3 s of zeros at the end; anything this quiet (about
# -72 dBFS at 16 bits) at the edges of a piece is padding, not speech.
_EDGE_LEVEL = 8
# How long one espeak-ng call may take (a piece is a few sentences at most).
_ESPEAK_TIMEOUT = 30
# How long the first playback is watched for a player that cannot play at all.
_PLAYER_PROBE_SECONDS = 0.3


class AudioError(RuntimeError):
    """espeak-ng failed, or produced audio this module cannot join."""


@dataclass(frozen=True)
class WavFormat:
    """Channels, bytes per sample and frames per second of a WAV stream."""

    channels: int
    sample_width: int
    rate: int

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.sample_width

    def silence(self, seconds: float) -> bytes:
        """Digital silence of ``seconds``, rounded to the nearest frame."""
        frames = max(0, round(seconds * self.rate))
        # 8-bit WAV samples are unsigned (silence is 128); wider ones are signed (silence is 0).
        zero = b"\x80" if self.sample_width == 1 else b"\x00" * self.sample_width
        return zero * (frames * self.channels)


@dataclass(frozen=True)
class Piece:
    """One text piece of a reply and the silence after it; times in seconds from the start."""

    text: str
    start: float
    speech_seconds: float
    pause_seconds: float

    @property
    def speech_end(self) -> float:
        return self.start + self.speech_seconds

    @property
    def end(self) -> float:
        return self.speech_end + self.pause_seconds


@dataclass(frozen=True)
class Rendering:
    """A reply as audio: the WAV format, its frames, and where each piece lies."""

    format: WavFormat
    frames: bytes
    pieces: tuple[Piece, ...]

    @property
    def seconds(self) -> float:
        return len(self.frames) / self.format.frame_bytes / self.format.rate

    def write(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(self.format.channels)
            out.setsampwidth(self.format.sample_width)
            out.setframerate(self.format.rate)
            out.writeframes(self.frames)
        return path


def _trim(frames: bytes, fmt: WavFormat) -> bytes:
    """Drop the near-silent padding espeak-ng writes before and after speech."""
    if fmt.sample_width == 2:
        samples = array.array("h")
        samples.frombytes(frames)
        if sys.byteorder == "big":
            samples.byteswap()
        first = next((i for i, s in enumerate(samples) if abs(s) > _EDGE_LEVEL), None)
        if first is None:
            return b""
        last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > _EDGE_LEVEL)
    elif fmt.sample_width == 1:
        first = next((i for i, b in enumerate(frames) if abs(b - 128) > 0), None)
        if first is None:
            return b""
        last = next(i for i in range(len(frames) - 1, -1, -1) if abs(frames[i] - 128) > 0)
    else:
        return frames
    # Whole frames only: a sample index becomes its frame's bounds.
    start = (first // fmt.channels) * fmt.frame_bytes
    stop = (last // fmt.channels + 1) * fmt.frame_bytes
    return frames[start:stop]


@lru_cache(maxsize=4)
def _espeak_languages(executable: str) -> frozenset[str]:
    try:
        listing = subprocess.run(
            [executable, "--voices"],
            capture_output=True,
            text=True,
            timeout=_ESPEAK_TIMEOUT,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    languages = set()
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 2:
            languages.add(fields[1].lower())
    return frozenset(languages)


def voice_for_locale(locale: str, executable: str = ESPEAK) -> str:
    """The espeak-ng voice for a locale: ``en-US`` -> ``en-us``, else its language, else ``en``."""
    languages = _espeak_languages(executable)
    wanted = locale.lower().replace("_", "-")
    for candidate in (wanted, wanted.split("-")[0]):
        if candidate in languages:
            return candidate
    return "en"


class Synthesizer:
    """Renders SSML replies to audio with espeak-ng, pauses inserted as exact silence."""

    def __init__(
        self,
        locale: str = "en-US",
        voice: str | None = None,
        executable: str | None = None,
        words_per_minute: int | None = None,
    ):
        found = executable or shutil.which(ESPEAK)
        if not found:
            raise AudioError(ESPEAK_MISSING)
        self.executable = found
        self.voice = voice or voice_for_locale(locale, found)
        self.words_per_minute = words_per_minute
        self._cache: dict[str, tuple[WavFormat, bytes]] = {}

    def speech(self, text: str) -> tuple[WavFormat, bytes]:
        """espeak-ng's audio for plain text, its edge padding trimmed (cached per text)."""
        if text not in self._cache:
            self._cache[text] = self._synthesise(text)
        return self._cache[text]

    def _synthesise(self, text: str) -> tuple[WavFormat, bytes]:
        with tempfile.TemporaryDirectory(prefix="leg-skill-") as tmp:
            path = Path(tmp) / "piece.wav"
            # Plain text (no -m), UTF-8 (-b 1), read from stdin so no text is taken for an option.
            command = [self.executable, "-v", self.voice, "-b", "1", "-w", str(path)]
            if self.words_per_minute:
                command += ["-s", str(self.words_per_minute)]
            try:
                result = subprocess.run(
                    [*command, "--stdin"],
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=_ESPEAK_TIMEOUT,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise AudioError(f"leg-skill: espeak-ng failed: {exc}") from exc
            if result.returncode != 0 or not path.exists():
                message = result.stderr.decode("utf-8", "replace").strip() or "no audio written"
                raise AudioError(f"leg-skill: espeak-ng failed: {message.splitlines()[0]}")
            try:
                with wave.open(str(path), "rb") as wav:
                    fmt = WavFormat(wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
                    frames = wav.readframes(wav.getnframes())
            except (wave.Error, EOFError) as exc:
                raise AudioError(f"leg-skill: espeak-ng wrote an unreadable WAV: {exc}") from exc
        return fmt, _trim(frames, fmt)

    def render(self, ssml: str) -> Rendering:
        """One reply as one WAV stream: each text piece spoken, then its pause in silence."""
        parts = split_on_breaks(unwrap(ssml))
        spoken = {text: self.speech(text) for text, _ in parts if text}
        formats = {fmt for fmt, _ in spoken.values()}
        if len(formats) > 1:
            raise AudioError(f"leg-skill: espeak-ng changed its output format: {formats}")
        # The format is espeak-ng's (read from its first WAV); a reply of pauses only needs one.
        fmt = formats.pop() if formats else self.speech("a")[0]
        chunks: list[bytes] = []
        pieces: list[Piece] = []
        frames_so_far = 0
        for text, pause in parts:
            speech = spoken[text][1] if text else b""
            silence = fmt.silence(pause)
            pieces.append(
                Piece(
                    text,
                    frames_so_far / fmt.rate,
                    len(speech) / fmt.frame_bytes / fmt.rate,
                    len(silence) / fmt.frame_bytes / fmt.rate,
                )
            )
            chunks += [speech, silence]
            frames_so_far += (len(speech) + len(silence)) // fmt.frame_bytes
        return Rendering(fmt, b"".join(chunks), tuple(pieces))


class Recorder:
    """Writes replies as numbered WAV files (``001.wav``, ``002.wav`` ...) in a directory.

    Numbering continues after the highest number already there, so a second session adds to
    the recordings of the first instead of overwriting them.
    """

    _NAME = re.compile(r"^(\d+)\.wav$")

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        numbers = [
            int(m.group(1)) for p in self.directory.iterdir() if (m := self._NAME.match(p.name))
        ]
        self.number = max(numbers, default=0)

    def save(self, rendering: Rendering) -> Path:
        self.number += 1
        return rendering.write(self.directory / f"{self.number:03d}.wav")


def find_player() -> list[str] | None:
    """The command line of the first WAV player on the PATH, or ``None``."""
    for command in PLAYERS:
        found = shutil.which(command[0])
        if found:
            return [found, *command[1:]]
    return None


class Playback:
    """A WAV file playing in the background (a player process this module started)."""

    def __init__(self, player: Sequence[str], path: Path, remove: bool):
        self.path = path
        self._remove = remove
        self.process = subprocess.Popen(
            [*player, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.started = time.monotonic()  # the audio's time zero, for the console's countdown

    def failed_at_once(self, within: float) -> str | None:
        """The player's complaint if it exits with an error within ``within`` seconds."""
        try:
            self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            return None  # still playing
        return self.wait()

    def wait(self) -> str | None:
        """Wait for the end of the audio; return the player's complaint if it failed."""
        try:
            _, err = self.process.communicate()
        finally:
            self._cleanup()
        if self.process.returncode:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            return lines[-1] if lines else f"exit status {self.process.returncode}"
        return None

    def stop(self) -> None:
        """Stop playing now (Ctrl-C, an error)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._remove:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._remove = False


class AudioOutput:
    """What ``leg-skill chat --speak/--record`` does with each reply: render, keep, play.

    Problems are reported once each through ``warn`` and never stop the chat: without
    espeak-ng there is no audio at all; without a player, recordings are still written.
    """

    def __init__(
        self,
        synthesizer: Synthesizer,
        speak: bool = False,
        recorder: Recorder | None = None,
        player: Sequence[str] | None = None,
        warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
    ):
        self.synthesizer: Synthesizer | None = synthesizer
        self.recorder = recorder
        self.player = list(player) if speak and player else None
        self.warn = warn
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._player_works = False

    @classmethod
    def open(
        cls,
        speak: bool,
        record_dir: str | os.PathLike | None,
        locale: str,
        warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
    ) -> AudioOutput | None:
        """Set up audio for a chat, or say in one line why there is none and return ``None``."""
        if not speak and record_dir is None:
            return None
        try:
            synthesizer = Synthesizer(locale)
        except AudioError as exc:
            warn(str(exc))
            return None
        player = find_player() if speak else None
        if speak and player is None:
            warn(NO_PLAYER)
        recorder = None
        if record_dir is not None:
            try:
                recorder = Recorder(record_dir)
            except OSError as exc:
                warn(f"leg-skill: cannot record into {record_dir}: {exc.strerror or exc}")
                if not speak:
                    return None
        return cls(synthesizer, speak, recorder, player, warn)

    @property
    def active(self) -> bool:
        return self.synthesizer is not None

    def render(self, ssml: str) -> Rendering | None:
        if self.synthesizer is None:
            return None
        try:
            return self.synthesizer.render(ssml)
        except AudioError as exc:
            self.warn(f"{exc}; carrying on as text")
            self.synthesizer = None
            return None

    def output(self, ssml: str) -> tuple[Rendering | None, Playback | None]:
        """Render a reply, record it if asked, and start playing it if asked."""
        rendering = self.render(ssml)
        if rendering is None or not rendering.frames:
            return rendering, None
        saved = None
        if self.recorder is not None:
            try:
                saved = self.recorder.save(rendering)
            except OSError as exc:
                self.warn(
                    f"leg-skill: cannot write {self.recorder.directory}: "
                    f"{exc.strerror or exc}; recording stops"
                )
                self.recorder = None
        if self.player is None:
            return rendering, None
        if saved is None:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="leg-skill-audio-")
            path = rendering.write(Path(self._tmp.name) / "reply.wav")
        else:
            path = saved
        try:
            playback = Playback(self.player, path, remove=saved is None)
        except OSError as exc:
            self.warn(f"leg-skill: cannot start {self.player[0]}: {exc}; replies are not played")
            self.player = None
            return rendering, None
        if not self._player_works:
            # A player without a sound device fails at once: say so now, not after the reply.
            problem = playback.failed_at_once(_PLAYER_PROBE_SECONDS)
            if problem:
                self._player_failed(problem)
                return rendering, None
            self._player_works = True
        return rendering, playback

    def finished(self, playback: Playback | None) -> None:
        """Wait for a reply's audio to end; a failing player is reported once and dropped."""
        if playback is None:
            return
        problem = playback.wait()
        if problem:
            self._player_failed(problem)

    def _player_failed(self, problem: str) -> None:
        if self.player is not None:
            self.warn(
                f"leg-skill: {Path(self.player[0]).name} failed ({problem}); replies are not played"
            )
            self.player = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


class RepTracker:
    """Follows the exercise, rep and side from what the skill has just said, for the countdown.

    The console shows it beside a running pause ("rep 3 of 10, left foot"). The exercise comes
    from a set's opening line (``coach.set_intro``) or a resumed set (``coach.resume_intro``),
    the rep from "Rep 3." (``coach.rep``), the side from the locale's side words ("left foot"),
    and the reps per side from :mod:`skill.content`. One tracker lives across the replies of a
    chat: the second segment of a set does not name its exercise.
    """

    def __init__(self, strings: Strings):
        self._strings = strings
        self._names = {strings.exercise_name(e).lower(): e for e in EXERCISE_IDS}
        names = "|".join(re.escape(n) for n in sorted(self._names, key=len, reverse=True))
        self._starts = [
            _template_regex(strings.raw(key), {"name": f"(?P<name>{names})"})
            for key in ("coach.set_intro", "coach.resume_intro")
        ]
        self._rep = _template_regex(strings.raw("coach.rep"), {"n": r"(?P<n>\d+)"})
        self._sides: dict[str, str] = {}  # "left foot" -> "left"
        for exercise in EXERCISES:
            for side in exercise.sides:
                self._sides[strings.side(exercise.id, side).lower()] = side
        words = "|".join(re.escape(w) for w in sorted(self._sides, key=len, reverse=True))
        self._side = re.compile(rf"\b(?:{words})\b", re.IGNORECASE) if words else None
        self.exercise: Exercise | None = None
        self.rep: int | None = None
        self.side: str | None = None

    def heard(self, text: str) -> None:
        """Take in one piece of plain speech, in the order it was said."""
        events: list[tuple[int, str, str]] = []
        for regex in self._starts:
            events += [(m.start(), "exercise", m.group("name")) for m in regex.finditer(text)]
        events += [(m.start(), "rep", m.group("n")) for m in self._rep.finditer(text)]
        if self._side is not None:
            events += [(m.start(), "side", m.group(0)) for m in self._side.finditer(text)]
        rep_in_piece: int | None = None
        for _, kind, value in sorted(events):
            if kind == "exercise":
                self.exercise = get_exercise(self._names[value.lower()])
                self.rep = self.side = None
            elif kind == "rep":
                rep_in_piece = self.rep = int(value)
            else:
                side = self._sides[value.lower()]
                if self.exercise is not None and side not in self.exercise.sides:
                    continue
                if side != self.side:
                    # A new side counts its reps from 1 again ("Now switch to your right foot.");
                    # a rep named in the same piece ("Rep 1. ... your right foot.") still holds.
                    self.side, self.rep = side, rep_in_piece

    def label(self) -> str:
        """``rep 3 of 10, left foot``; before a side's first rep, the exercise and side."""
        exercise = self.exercise
        if exercise is None:
            return f"rep {self.rep}" if self.rep is not None else ""
        if self.rep is not None and exercise.reps > 1:
            parts = [f"rep {self.rep} of {exercise.reps}"]
        else:
            parts = [self._strings.exercise_name(exercise.id)]
        if self.side is not None:
            parts.append(self._strings.side(exercise.id, self.side))
        return ", ".join(parts)


def _template_regex(template: str, groups: dict[str, str]) -> re.Pattern:
    """A locale sentence as a regex: the given fields as groups, any other field as words."""
    regex = ""
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            regex += groups.get(part[1:-1], r".+?")
        else:
            regex += re.escape(part)
    return re.compile(regex, re.IGNORECASE)
