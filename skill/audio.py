"""Hear the skill on a laptop: replies rendered to WAV with libespeak-ng, pauses exact to the frame.

The speech engine comes from PyPI: the ``espeakng-loader`` package (the ``audio`` extra,
``pip install 'leg-skill[audio]'``) ships ``libespeak-ng.so`` and its ``espeak-ng-data`` voices,
and this module drives that library through :mod:`ctypes`, in memory, with no program to run and
no temporary files. The calls and constants follow espeak-ng's public header
``src/include/espeak-ng/speak_lib.h`` (API revision 12): ``espeak_Initialize``,
``espeak_SetSynthCallback``, ``espeak_SetVoiceByName``, ``espeak_SetParameter``,
``espeak_Synth`` and ``espeak_Synchronize``.

Why our own ctypes code: no PyPI package synthesises to memory with the library that
espeakng-loader ships. ``espeakng`` and ``py-espeak-ng`` run the ``espeak-ng`` program (not
installed here, and not to be); ``python-espeak-ng`` and ``espeak-ng-python`` are C extensions
that build against a system ``libespeak-ng-dev``; pyttsx3's espeak driver
(``pyttsx3/drivers/_espeak.py``) loads ``libespeak-ng.so.1`` from the system's library paths when
imported and fails without it; ``espeak-phonemizer``, phonemizer and espeakng-loader itself only
turn text into phonemes or find the library (looked up on PyPI's project pages and in the
packages' sources).

libespeak-ng keeps its state in globals (one voice, one rate, one callback per process), so it is
initialised once per process and every synthesis holds one lock while it sets the voice and rate
and collects the samples. It is initialised in ``AUDIO_OUTPUT_SYNCHRONOUS`` mode (``espeak_Synth``
returns once the callback has had every sample) with ``espeakINITIALIZE_DONT_EXIT``, without which
a missing data folder ends the whole process. Measured on this project's 2-core machine
(espeakng-loader 0.2.4, libespeak-ng 1.52.0, 22050 Hz, three runs): loading and initialising the
library takes 3-8 ms once per process, choosing a voice 3-10 ms, and a whole round of five sets
(16 replies, 850 s of audio of which 338 s is speech, nothing cached) renders in 0.26-0.41 s: the
speech is made about 1000 times faster than it plays. The engine's wave generator carries its
state from one utterance to the next, so the same text said twice in one process may differ in
length by up to about 15 ms (not audibly; ``espeak_ng_SetRandSeed`` does not change that).

espeak-ng merges consecutive ``<break>`` tags in SSML (two chained 10 s breaks played as about
10 s with espeak-ng 1.51), so the pauses are rendered here instead. A reply is split on its
breaks (:func:`skill.ssml.split_on_breaks`, chained breaks summed); each text piece is
synthesised on its own as plain UTF-8 text, the near-silence the engine leaves at its edges is
trimmed, and the pause after it is written as digital silence of exactly ``round(seconds * rate)``
frames in the engine's format (16-bit mono at the rate ``espeak_Initialize`` returns). The
pieces join into one WAV per reply, so what is played is what ``--record`` keeps, and
:class:`Rendering` knows when each piece starts, how long it speaks and how long the silence
after it lasts (for the console's countdown).

:class:`RepTracker` follows the exercise, rep and side through the replies, for the console's
countdown.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from .content import EXERCISE_IDS, EXERCISES, Exercise, get_exercise
from .exceptions import LegSkillError
from .locales import Strings
from .records import record
from .ssml import rate_of, split_on_breaks, unwrap

__all__ = [
    "ESPEAK",
    "ESPEAK_MISSING",
    "INSTALL_AUDIO",
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

# The speech engine's name, as messages give it.
ESPEAK = "espeak-ng"
# How to get the engine: the `audio` extra of pyproject.toml (espeakng-loader).
INSTALL_AUDIO = "pip install 'leg-skill[audio]'"
ESPEAK_MISSING = (
    f"leg-skill: the speech engine (espeakng-loader, with libespeak-ng) is not installed; "
    f"install it with: {INSTALL_AUDIO}"
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
# How long the first playback is watched for a player that cannot play at all.
_PLAYER_PROBE_SECONDS = 0.3

# From speak_lib.h (espeak-ng, API revision 12).
_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: samples to the callback, Synth waits
_INITIALIZE_DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: no exit() when data is missing
_POS_CHARACTER = 1  # espeak_POSITION_TYPE
_CHARS_UTF8 = 1  # espeakCHARS_UTF8 (no espeakSSML: each piece is plain text)
_RATE = 1  # espeak_PARAMETER espeakRATE, in words per minute
_RATE_NORMAL = 175  # espeakRATE_NORMAL, the engine's default speed
_EE_OK = 0  # espeak_ERROR
# Length of the sample buffers handed to the callback, in ms (0 would mean 60 ms).
_BUFFER_MS = 200
# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events); the events are not read.
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class AudioError(LegSkillError):
    """The speech engine is missing or failed, or a reply could not be turned into audio.

    Its message is one line, ready for the console (``leg-skill: ...``).
    """


@record(frozen=True)
class WavFormat:
    """Channels, bytes per sample and frames per second of a WAV stream.

    Parameters
    ----------
    channels : int
        Interleaved channels per frame (the engine's speech is mono, 1).
    sample_width : int
        Bytes per sample: 2 for signed 16-bit (the engine's), 1 for unsigned 8-bit.
    rate : int
        Frames per second, in Hz.
    """

    channels: int
    sample_width: int
    rate: int

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame: ``channels * sample_width``."""
        return self.channels * self.sample_width

    def silence(self, seconds: float) -> bytes:
        """Digital silence lasting ``seconds``, rounded to the nearest frame.

        Parameters
        ----------
        seconds : float
            Length in seconds; zero or less gives no frames.

        Returns
        -------
        bytes
            ``round(seconds * rate)`` frames of exact silence, ``frame_bytes`` bytes each.
        """
        frames = max(0, round(seconds * self.rate))
        # 8-bit WAV samples are unsigned (silence is 128); wider ones are signed (silence is 0).
        zero = b"\x80" if self.sample_width == 1 else b"\x00" * self.sample_width
        return zero * (frames * self.channels)


@record(frozen=True)
class Piece:
    """One text piece of a reply and the silence after it.

    Parameters
    ----------
    text : str
        The plain text spoken (empty for a reply that opens with a pause).
    start : float
        When its speech starts, in seconds from the start of the reply's audio.
    speech_seconds : float
        How long it speaks, in seconds (edge padding trimmed).
    pause_seconds : float
        How long the silence after it lasts, in seconds (exact to the frame).
    """

    text: str
    start: float
    speech_seconds: float
    pause_seconds: float

    @property
    def speech_end(self) -> float:
        """When its speech ends and its pause starts, in seconds from the start."""
        return self.start + self.speech_seconds

    @property
    def end(self) -> float:
        """When its pause ends, in seconds from the start."""
        return self.speech_end + self.pause_seconds


@record(frozen=True)
class Rendering:
    """A reply as audio: the WAV format, its frames, and where each piece lies.

    Parameters
    ----------
    format : WavFormat
        The format of ``frames``.
    frames : bytes
        The whole reply as little-endian PCM, ``len(frames) // format.frame_bytes`` frames.
    pieces : tuple of Piece
        Each text piece and the pause after it, in order.
    """

    format: WavFormat
    frames: bytes
    pieces: tuple[Piece, ...]

    @property
    def seconds(self) -> float:
        """Length of the audio in seconds (frames divided by the rate in Hz)."""
        return len(self.frames) / self.format.frame_bytes / self.format.rate

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the reply as one WAV file.

        Parameters
        ----------
        path : str or path-like
            Where to write; an existing file is replaced.

        Returns
        -------
        Path
            ``path``.

        Raises
        ------
        OSError
            The file cannot be written.
        """
        path = Path(path)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(self.format.channels)
            out.setsampwidth(self.format.sample_width)
            out.setframerate(self.format.rate)
            out.writeframes(self.frames)
        return path


def _trim(samples: array.array[int]) -> array.array[int]:
    """Drop the near-silent padding the engine leaves before and after speech (mono samples)."""
    first = next((i for i, s in enumerate(samples) if abs(s) > _EDGE_LEVEL), None)
    if first is None:
        return array.array("h")
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > _EDGE_LEVEL)
    return samples[first : last + 1]


# libespeak-ng has one state per process: one engine, loaded on first use, and one lock that every
# call into the library holds (re-entrant, so a synthesis may choose its voice inside it).
_LOCK = threading.RLock()
_ENGINE: _Engine | None = None


class _Engine:
    """libespeak-ng loaded and initialised in this process (there is at most one)."""

    def __init__(self, library: ctypes.CDLL, rate: int):
        self._lib = library
        # Mono, signed 16-bit, at the rate espeak_Initialize returned.
        self.format = WavFormat(1, 2, rate)
        self._chunks: list[bytes] = []
        # The library keeps only a C pointer: this object keeps the Python callback alive.
        self._callback = _SYNTH_CALLBACK(self._collect)
        library.espeak_SetSynthCallback(self._callback)

    @classmethod
    def load(cls, library_path: str, data_path: str) -> _Engine:
        """Load the shared library, declare the calls used, and initialise it once."""
        try:
            lib = ctypes.CDLL(library_path)
            lib.espeak_Initialize.argtypes = [
                ctypes.c_int,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
            ]
            lib.espeak_Initialize.restype = ctypes.c_int
            lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
            lib.espeak_SetSynthCallback.restype = None
            lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
            lib.espeak_SetVoiceByName.restype = ctypes.c_int
            lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
            lib.espeak_SetParameter.restype = ctypes.c_int
            lib.espeak_Synth.argtypes = [
                ctypes.c_char_p,  # const void *text (UTF-8, NUL-terminated)
                ctypes.c_size_t,  # size
                ctypes.c_uint,  # position
                ctypes.c_int,  # espeak_POSITION_TYPE position_type
                ctypes.c_uint,  # end_position
                ctypes.c_uint,  # flags
                ctypes.POINTER(ctypes.c_uint),  # unique_identifier
                ctypes.c_void_p,  # user_data
            ]
            lib.espeak_Synth.restype = ctypes.c_int
            lib.espeak_Synchronize.argtypes = []
            lib.espeak_Synchronize.restype = ctypes.c_int
        except (OSError, AttributeError) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise AudioError(
                f"leg-skill: cannot load libespeak-ng ({problem}); reinstall the speech engine "
                f"with: {INSTALL_AUDIO}"
            ) from exc
        rate = int(
            lib.espeak_Initialize(
                _AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, os.fsencode(data_path), _INITIALIZE_DONT_EXIT
            )
        )
        # -1 is EE_INTERNAL_ERROR; with DONT_EXIT a missing data folder gives 0.
        if rate <= 0:
            raise AudioError(
                f"leg-skill: libespeak-ng cannot start with the voice data in {data_path}; "
                f"reinstall the speech engine with: {INSTALL_AUDIO}"
            )
        return cls(lib, rate)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int | None) -> int:
        # NULL (false) with no samples marks the end; a zero count may also come mid-way.
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * ctypes.sizeof(ctypes.c_short)))
        return 0  # go on

    def has_voice(self, name: str) -> bool:
        """Whether ``espeak_SetVoiceByName(name)`` finds the voice (it also selects it)."""
        with _LOCK:
            return int(self._lib.espeak_SetVoiceByName(name.encode("utf-8"))) == _EE_OK

    def synthesise(self, text: str, voice: str, words_per_minute: int) -> array.array[int]:
        """The samples of ``text`` spoken by ``voice``, in native byte order."""
        data = text.replace("\0", " ").encode("utf-8")
        with _LOCK:
            # The voice and rate are the library's globals: set both for every synthesis.
            if not self.has_voice(voice):
                raise AudioError(f"leg-skill: {ESPEAK} has no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, words_per_minute, 0)
            self._chunks = []
            try:
                status = int(
                    self._lib.espeak_Synth(
                        data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
                    )
                )
                if status == _EE_OK:
                    status = int(self._lib.espeak_Synchronize())
                chunks = self._chunks
            finally:
                self._chunks = []
        if status != _EE_OK:
            raise AudioError(f"leg-skill: {ESPEAK} failed (espeak_ERROR {status})")
        samples = array.array("h")
        samples.frombytes(b"".join(chunks))
        return samples


def _engine() -> _Engine:
    """The process's engine, loaded from espeakng-loader on first use."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            try:
                import espeakng_loader
            except ImportError as exc:
                raise AudioError(ESPEAK_MISSING) from exc
            try:
                library_path = str(espeakng_loader.get_library_path())
                data_path = str(espeakng_loader.get_data_path())
            except (RuntimeError, OSError) as exc:  # it raises RuntimeError for missing data
                raise AudioError(
                    f"leg-skill: the speech engine's files are incomplete ({exc}); reinstall "
                    f"it with: {INSTALL_AUDIO}"
                ) from exc
            _ENGINE = _Engine.load(library_path, data_path)
        return _ENGINE


@lru_cache(maxsize=32)
def voice_for_locale(locale: str) -> str:
    """The engine's voice for a locale: its own, else its language's, else English.

    Each candidate is tried with ``espeak_SetVoiceByName``: ``en-US`` -> ``en-us``;
    ``de-DE`` -> ``de`` (there is no ``de-de`` voice); ``en-GB`` -> ``en`` (British);
    an unknown language -> ``en``.

    Parameters
    ----------
    locale : str
        An Alexa locale such as ``en-US`` or ``de_DE`` (case and separator are free).

    Returns
    -------
    str
        The voice name to synthesise with.

    Raises
    ------
    AudioError
        The engine is not installed or cannot load, or it has not even an English voice.
    """
    engine = _engine()
    wanted = locale.lower().replace("_", "-")
    for candidate in dict.fromkeys((wanted, wanted.split("-")[0], "en")):
        if engine.has_voice(candidate):
            return candidate
    raise AudioError(f"leg-skill: {ESPEAK} has no voice for {locale}, nor an English one")


class Synthesizer:
    """Renders SSML replies to audio with libespeak-ng, pauses inserted as exact silence.

    Parameters
    ----------
    locale : str
        The reply's locale; it chooses the voice (:func:`voice_for_locale`).
    voice : str, optional
        A voice name for ``espeak_SetVoiceByName`` instead of the locale's (``"en-us"``).
    words_per_minute : int, optional
        Speaking rate; the engine's normal 175 wpm if not given (it clamps to 80-450).

    Raises
    ------
    AudioError
        The engine (espeakng-loader) is not installed or cannot load, or has no such voice.
    """

    def __init__(
        self,
        locale: str = "en-US",
        voice: str | None = None,
        words_per_minute: int | None = None,
    ):
        self._engine = _engine()
        if voice is None:
            voice = voice_for_locale(locale)
        elif not self._engine.has_voice(voice):
            raise AudioError(f"leg-skill: {ESPEAK} has no voice {voice!r}")
        self.voice = voice
        self.words_per_minute = words_per_minute
        self._cache: dict[tuple[str, int], bytes] = {}

    @property
    def format(self) -> WavFormat:
        """The engine's format: mono, 16-bit, at its rate in Hz (22050 for espeak-ng)."""
        return self._engine.format

    def speech(self, text: str, percent: int = 100) -> tuple[WavFormat, bytes]:
        """The engine's audio for plain text, its edge padding trimmed (cached per text).

        Parameters
        ----------
        text : str
            Plain text (not SSML) in the voice's language.
        percent : int
            The reply's speaking rate in percent of this synthesizer's (SSML ``prosody``, as
            :func:`skill.ssml.at_rate` writes it): the person's "slower" or "faster".

        Returns
        -------
        tuple of (WavFormat, bytes)
            The format and the frames (little-endian; empty if nothing is audible).

        Raises
        ------
        AudioError
            The engine failed.
        """
        words_per_minute = round((self.words_per_minute or _RATE_NORMAL) * percent / 100)
        key = (text, words_per_minute)
        if key not in self._cache:
            samples = _trim(self._engine.synthesise(text, self.voice, words_per_minute))
            if sys.byteorder == "big":
                samples.byteswap()  # WAV is little-endian
            self._cache[key] = samples.tobytes()
        return self.format, self._cache[key]

    def render(self, ssml: str) -> Rendering:
        """One reply as one WAV stream: each text piece spoken, then its pause in silence.

        Parameters
        ----------
        ssml : str
            The reply's SSML (``<speak>`` optional); ``<break>`` tags become silence of exactly
            ``round(seconds * rate)`` frames, chained ones summed; a ``prosody`` rate around
            the reply (:func:`skill.ssml.at_rate`) slows or speeds the speech, never the pauses.

        Returns
        -------
        Rendering
            The frames and where each piece and pause lies, in seconds.

        Raises
        ------
        AudioError
            The engine failed.
        """
        fmt = self.format
        chunks: list[bytes] = []
        pieces: list[Piece] = []
        frames_so_far = 0
        percent = rate_of(ssml)
        for text, pause in split_on_breaks(unwrap(ssml)):
            speech = self.speech(text, percent)[1] if text else b""
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

    Parameters
    ----------
    directory : str or path-like
        Where the files go; created (with its parents) if missing.

    Raises
    ------
    OSError
        The directory cannot be created or listed.
    """

    _NAME = re.compile(r"^(\d+)\.wav$")

    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        numbers = [
            int(m.group(1)) for p in self.directory.iterdir() if (m := self._NAME.match(p.name))
        ]
        self.number = max(numbers, default=0)

    def save(self, rendering: Rendering) -> Path:
        """Write one reply as the next numbered file.

        Parameters
        ----------
        rendering : Rendering
            The reply's audio.

        Returns
        -------
        Path
            The file written, such as ``DIR/003.wav``.

        Raises
        ------
        OSError
            The file cannot be written.
        """
        self.number += 1
        return rendering.write(self.directory / f"{self.number:03d}.wav")


def find_player() -> list[str] | None:
    """The command line of the first WAV player on the PATH (see ``PLAYERS``).

    Returns
    -------
    list of str or None
        The player's full path and options, to be followed by a WAV file's path; ``None``
        when none of aplay, paplay or play is installed.
    """
    for command in PLAYERS:
        found = shutil.which(command[0])
        if found:
            return [found, *command[1:]]
    return None


class Playback:
    """A WAV file playing in the background (a player process this module started).

    Parameters
    ----------
    player : sequence of str
        The player's command line (:func:`find_player`); the file's path is appended.
    path : Path
        The WAV file to play.
    remove : bool
        Delete ``path`` once the playback ends or stops (a temporary file).

    Raises
    ------
    OSError
        The player cannot be started.
    """

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
        """The player's complaint if it exits with an error within ``within`` seconds.

        Parameters
        ----------
        within : float
            How long to watch, in seconds.

        Returns
        -------
        str or None
            The last line the player wrote to stderr (or its exit status) if it failed;
            ``None`` if it is still playing or finished cleanly.
        """
        try:
            self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            return None  # still playing
        return self.wait()

    def wait(self) -> str | None:
        """Wait for the end of the audio.

        Returns
        -------
        str or None
            The player's complaint (last stderr line, or its exit status) if it failed.
        """
        try:
            _, err = self.process.communicate()
        finally:
            self._cleanup()
        if self.process.returncode:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            return lines[-1] if lines else f"exit status {self.process.returncode}"
        return None

    def stop(self) -> None:
        """Stop playing now (Ctrl-C, an error); the player gets 5 s to exit before a kill."""
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


def _warn_on_stderr(line: str) -> None:
    print(line, file=sys.stderr)


class AudioOutput:
    """What ``leg-skill chat --speak/--record`` does with each reply: render, keep, play.

    Problems met during the chat are reported once each through ``warn`` and never stop it: a
    failing engine ends the audio, a failing player ends playback (recordings go on), a
    failing disk ends recording.

    Parameters
    ----------
    synthesizer : Synthesizer
        Renders each reply.
    speak : bool
        Play each reply (needs ``player``).
    recorder : Recorder, optional
        Keeps each reply as a numbered WAV file.
    player : sequence of str, optional
        The player's command line (:func:`find_player`).
    warn : callable
        Takes one line for the user; stderr by default.
    """

    def __init__(
        self,
        synthesizer: Synthesizer,
        speak: bool = False,
        recorder: Recorder | None = None,
        player: Sequence[str] | None = None,
        warn: Callable[[str], None] = _warn_on_stderr,
    ):
        self.synthesizer: Synthesizer | None = synthesizer
        self.recorder = recorder
        self.player = list(player) if speak and player else None
        self.warn = warn
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._player_works = False

    @classmethod
    def open(
        cls,
        speak: bool,
        record_dir: str | os.PathLike[str] | None,
        locale: str,
        warn: Callable[[str], None] = _warn_on_stderr,
    ) -> AudioOutput | None:
        """Set up audio for a chat.

        Recording is a promise to write files, so a recording that cannot be made is an
        error; speaking degrades: without the engine the chat stays text, without a player
        (aplay, paplay, play) replies are not played but are still recorded. Each such
        problem is said in one line through ``warn``.

        Parameters
        ----------
        speak : bool
            Play each reply (``--speak``).
        record_dir : str or path-like, optional
            Keep each reply as a numbered WAV file here (``--record DIR``).
        locale : str
            The chat's locale; it chooses the voice.
        warn : callable
            Takes one line for the user; stderr by default.

        Returns
        -------
        AudioOutput or None
            ``None`` when no audio is asked for, or ``--speak`` alone cannot have any.

        Raises
        ------
        AudioError
            ``record_dir`` was given and cannot be recorded into: the engine is not installed
            (the message names ``pip install 'leg-skill[audio]'``) or cannot load, or the
            directory cannot be created. The message is one line.
        """
        if not speak and record_dir is None:
            return None
        try:
            synthesizer = Synthesizer(locale)
        except AudioError as exc:
            if record_dir is not None:
                raise
            # The install command stays last, to be copied.
            warn(f"leg-skill: replies stay text: {str(exc).removeprefix('leg-skill: ')}")
            return None
        recorder = None
        if record_dir is not None:
            try:
                recorder = Recorder(record_dir)
            except OSError as exc:
                raise AudioError(
                    f"leg-skill: cannot record into {record_dir}: {exc.strerror or exc}"
                ) from exc
        player = find_player() if speak else None
        if speak and player is None:
            warn(NO_PLAYER)
        return cls(synthesizer, speak, recorder, player, warn)

    @property
    def active(self) -> bool:
        """Whether replies are still being rendered (the engine has not failed)."""
        return self.synthesizer is not None

    def render(self, ssml: str) -> Rendering | None:
        """Render one reply, or ``None`` once the engine has failed (said once via ``warn``).

        Parameters
        ----------
        ssml : str
            The reply's SSML.

        Returns
        -------
        Rendering or None
            The reply's audio.
        """
        if self.synthesizer is None:
            return None
        try:
            return self.synthesizer.render(ssml)
        except AudioError as exc:
            self.warn(f"{exc}; carrying on as text")
            self.synthesizer = None
            return None

    def output(self, ssml: str) -> tuple[Rendering | None, Playback | None]:
        """Render a reply, record it if asked, and start playing it if asked.

        Parameters
        ----------
        ssml : str
            The reply's SSML.

        Returns
        -------
        tuple of (Rendering or None, Playback or None)
            The reply's audio (``None`` once the engine has failed) and its playback, already
            running in the background (``None`` when nothing plays).
        """
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
        """Wait for a reply's audio to end; a failing player is reported once and dropped.

        Parameters
        ----------
        playback : Playback or None
            What :meth:`output` started.
        """
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
        """Remove the temporary folder of played-only replies, if one was made."""
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

    Parameters
    ----------
    strings : Strings
        The chat's locale strings (:func:`skill.locales.strings_for`).
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
        """Take in one piece of plain speech, in the order it was said.

        Parameters
        ----------
        text : str
            Plain text (no SSML) as the skill said it.
        """
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
        """What the countdown shows beside a pause.

        Returns
        -------
        str
            ``rep 3 of 10, left foot``; before a side's first rep, the exercise and side
            (``pencil pick up, right foot``); empty before anything was recognised.
        """
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


def _template_regex(template: str, groups: dict[str, str]) -> re.Pattern[str]:
    """A locale sentence as a regex: the given fields as groups, any other field as words."""
    regex = ""
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            regex += groups.get(part[1:-1], r".+?")
        else:
            regex += re.escape(part)
    return re.compile(regex, re.IGNORECASE)
