"""Immutable value classes (records) declared the way :mod:`dataclasses` declares them.

Why not :func:`dataclasses.dataclass`
-------------------------------------
``dataclass`` writes each class's ``__init__``, ``__eq__``, ``__repr__``, ``__hash__`` and the
frozen ``__setattr__`` as source text and compiles it with :func:`exec` when the class is
created. On Python 3.13 (Lambda's runtime) that cost 0.5 ms a class: 35 classes on the path of
the first turn took 18.7-21.5 ms (16 ms of it in ``exec``) of a 156 ms first turn, measured with
``_process_class`` timed around a cold import of the shipped package (``build/lambda``, no
bytecode written, 2026-11-30). Issue 18's target for that turn is 0.40x the ASK-sample-style
skill, about 135 ms on this machine; without the compile step the classes cost under 1 ms.

So :func:`record` builds the same methods from plain closures over the class's field names:
nothing is compiled. Instances are built a little slower (about 1 us more a call, a few hundred
calls a turn), which no turn notices. The module is imported anyway (the ASK SDK's model
classes import :mod:`pprint`, which imports :mod:`dataclasses`); only its decorator is skipped.

What it supports is what this package uses, with dataclass semantics:

- fields from the class's annotations, in order, with defaults or :func:`field` specifiers
  (``default``, ``default_factory``, ``repr``, ``compare``); ``ClassVar`` is not a field;
- ``__init__`` taking fields by position or keyword, then calling ``__post_init__`` if defined;
- ``__eq__`` against the same class only (field tuples compared), ``__repr__`` as
  ``Name(a=1, b='x')``, ``__match_args__``;
- ``frozen=True``: assignment and deletion raise :class:`~skill.exceptions.FrozenRecordError`
  (an :class:`AttributeError`), and ``__hash__`` hashes the compared fields; otherwise
  instances are unhashable, as dataclasses' are;
- :func:`replace` returns a copy with some fields changed.

Type checkers see records as dataclasses through :func:`typing.dataclass_transform` (PEP 681).
No base classes with fields, no ``init=False``, no ``slots``, ``order`` or ``kw_only``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

from .exceptions import FrozenRecordError

__all__ = ["field", "record", "replace"]

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)


class _Missing:
    """The marker of a field with no default (``None`` can be a default)."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


class _Field:
    """What :func:`field` returns: a field's default and flags, read once by :func:`record`."""

    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(
        self,
        default: Any,
        default_factory: Callable[[], Any] | None,
        repr: bool,  # dataclasses' name, which type checkers look for
        compare: bool,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


@overload
def field(*, default: _T, repr: bool = ..., compare: bool = ...) -> _T: ...
@overload
def field(*, default_factory: Callable[[], _T], repr: bool = ..., compare: bool = ...) -> _T: ...
@overload
def field(*, repr: bool = ..., compare: bool = ...) -> Any: ...
def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """Specify one field of a :func:`record`, as :func:`dataclasses.field` does.

    Parameters
    ----------
    default : object, optional
        The field's value when ``__init__`` is not given one.
    default_factory : callable, optional
        Called with no arguments for each instance that is not given a value (for lists and
        dicts, which must not be shared). Not with ``default``.
    repr : bool
        Whether ``repr()`` shows the field (False for secrets such as tokens).
    compare : bool
        Whether ``==`` and ``hash()`` use the field.

    Returns
    -------
    object
        A specifier that :func:`record` replaces with the default (or removes).

    Raises
    ------
    ValueError
        Both ``default`` and ``default_factory`` given.
    """
    if default is not _MISSING and default_factory is not None:
        raise ValueError("cannot specify both default and default_factory")
    return _Field(default, default_factory, repr, compare)


def _is_class_var(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))


def _own_annotations(cls: type) -> dict[str, Any]:
    # Not inspect.get_annotations: the console and tests need not import inspect (7 ms).
    annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063
    if annotations is None:  # Python 3.14 makes them on first access (PEP 649)
        annotations = getattr(cls, "__annotations__", {})
    return dict(annotations)


def _build(cls: _C, frozen: bool) -> _C:
    names: list[str] = []
    shown: list[str] = []
    compared: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name, annotation in _own_annotations(cls).items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        if spec.default is not _MISSING:
            if type(spec.default).__hash__ is None:  # a list, dict or set, shared by all
                raise ValueError(f"mutable default for field {name}: use default_factory")
            defaults[name] = spec.default
            setattr(cls, name, spec.default)
        else:
            if spec.default_factory is not None:
                factories[name] = spec.default_factory
            elif defaults or factories:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            if isinstance(value, _Field):
                delattr(cls, name)
        names.append(name)
        if spec.repr:
            shown.append(name)
        if spec.compare:
            compared.append(name)

    fields = tuple(names)
    field_names = frozenset(fields)
    post_init = getattr(cls, "__post_init__", None)
    qualname = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        state = self.__dict__  # frozen or not: set without __setattr__
        if not kwargs and len(args) == len(fields):
            state.update(zip(fields, args, strict=True))  # every field by position
        elif not args and kwargs.keys() == field_names:
            state.update(kwargs)  # every field by name, as replace() passes them
        else:
            _bind(state, args, kwargs)
        if post_init is not None:
            self.__post_init__()

    def _bind(state: dict[str, Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if len(args) > len(fields):
            raise TypeError(
                f"{qualname}() takes {len(fields)} positional arguments, {len(args)} given"
            )
        state.update(zip(fields, args, strict=False))  # the first fields, by position
        for name in fields[len(args) :]:
            if name in kwargs:
                state[name] = kwargs.pop(name)
            elif name in defaults:
                state[name] = defaults[name]
            elif name in factories:
                state[name] = factories[name]()
            else:
                raise TypeError(f"{qualname}() missing required argument: {name!r}")
        for name in kwargs:  # names left over: given twice, or no field at all
            if name in field_names:
                raise TypeError(f"{qualname}() got multiple values for argument {name!r}")
            raise TypeError(f"{qualname}() got an unexpected keyword argument {name!r}")

    key = _key_of(tuple(compared))

    def __eq__(self: Any, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(key(self) == key(other))

    shown_names = tuple(shown)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown_names)
        return f"{self.__class__.__qualname__}({inner})"

    methods: dict[str, Any] = {"__init__": __init__, "__repr__": __repr__, "__eq__": __eq__}
    if frozen:

        def __setattr__(self: Any, name: str, value: object) -> None:
            raise FrozenRecordError(f"cannot assign to field {name!r} of a frozen {qualname}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenRecordError(f"cannot delete field {name!r} of a frozen {qualname}")

        def __hash__(self: Any) -> int:
            return hash(key(self))

        methods.update(__setattr__=__setattr__, __delattr__=__delattr__, __hash__=__hash__)
    elif "__hash__" not in cls.__dict__:
        methods["__hash__"] = None  # mutable and compared by value: unhashable, as dataclasses
    for name, method in methods.items():
        if name in cls.__dict__ and name != "__hash__":
            continue  # a method the class wrote itself wins, as with dataclasses
        if method is not None:
            method.__qualname__ = f"{qualname}.{name}"
        setattr(cls, name, method)
    cls.__match_args__ = fields  # type: ignore[attr-defined,misc]
    cls.__record_fields__ = fields  # type: ignore[attr-defined]  # what replace() copies
    return cls


def _key_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function from an instance to the tuple of its ``names`` fields."""
    if len(names) >= 2:
        return attrgetter(*names)  # a tuple already
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda instance: (single(instance),)
    return lambda instance: ()


@overload
def record(cls: _C, /) -> _C: ...
@overload
def record(*, frozen: bool = ...) -> Callable[[_C], _C]: ...
@dataclass_transform(field_specifiers=(field,))
def record(cls: _C | None = None, /, *, frozen: bool = False) -> _C | Callable[[_C], _C]:
    """Make ``cls`` a record: ``__init__``, ``__eq__``, ``__repr__`` from its annotations.

    Used as ``@record`` or ``@record(frozen=True)``, like :func:`dataclasses.dataclass`.

    Parameters
    ----------
    cls : type, optional
        The class; omitted when called with options.
    frozen : bool
        Instances cannot be changed after ``__init__`` (and are hashable).

    Returns
    -------
    type or callable
        The same class, with the methods added; or a decorator that adds them.

    Raises
    ------
    TypeError
        A field without a default follows one with a default.
    ValueError
        A field's default is a list, dict or set (use ``field(default_factory=...)``).
    """
    if cls is None:
        return lambda inner: _build(inner, frozen)
    return _build(cls, frozen)


def replace(instance: _T, /, **changes: Any) -> _T:
    """A copy of a record with some fields changed, as :func:`dataclasses.replace` makes.

    Parameters
    ----------
    instance : record
        The record to copy; it is not changed.
    **changes
        New values, by field name.

    Returns
    -------
    record
        A new instance of the same class (its ``__post_init__`` runs again).

    Raises
    ------
    TypeError
        ``instance`` is not a record, or a name in ``changes`` is not one of its fields.
    """
    names = instance.__class__.__dict__.get("__record_fields__")
    if names is None:
        raise TypeError(f"replace() needs a record, not {instance.__class__.__qualname__}")
    state = instance.__dict__
    for name in names:
        if name not in changes:
            changes[name] = state[name]
    return instance.__class__(**changes)
