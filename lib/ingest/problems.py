"""What an upload can get wrong, as data: a problem is a string code (an ``upload.err.*`` key of
lib.core.strings) and its parameters, rendered in the reader's language only when it is shown
(the upload page and the CLI both call ``Problem.reason`` / ``Problem.line`` with a lang).

Parameters that read differently per language (a field's name, a list of names, a bound, a
figure) are small values with a ``render(lang)`` method. Imports only lib.core and the bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from lib.core.figures import value_shown
from lib.core.i18n import t
from lib.core.numbers import NumberError
from lib.ingest.bounds import limit_text


@runtime_checkable
class Localised(Protocol):
    """A parameter whose text depends on the reader's language."""

    def render(self, lang: str) -> str:
        """The text in a language."""
        ...


def render_params(params: Mapping[str, object], lang: str) -> dict[str, object]:
    """The parameters with every language-dependent one rendered in lang."""
    return {k: v.render(lang) if isinstance(v, Localised) else v for k, v in params.items()}


@dataclass(frozen=True)
class Msg:
    """A string of lib.core.strings by key, with its parameters."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The string in a language."""
        return t(self.code, lang, **render_params(self.params, lang))


@dataclass(frozen=True)
class Names:
    """Names listed the way the language lists them (、 in Chinese, commas in English)."""

    items: tuple[str, ...]

    def render(self, lang: str) -> str:
        """The names joined."""
        return ("、" if lang == "zh" else ", ").join(self.items)


@dataclass(frozen=True)
class Hint:
    """A ', did you mean: …' suffix naming up to three close names; empty when there is none."""

    names: tuple[str, ...]

    def render(self, lang: str) -> str:
        """The suffix, or ''."""
        if not self.names:
            return ""
        return t("upload.err.hint", lang, names=Names(self.names[:3]).render(lang))


@dataclass(frozen=True)
class Bound:
    """The upper bound of an indicator's values: 100% or 10¹²（1万亿）人."""

    unit_zh: str
    kind: str

    def render(self, lang: str) -> str:
        """The bound as the clerk reads it."""
        return limit_text(self.unit_zh, self.kind, lang)


@dataclass(frozen=True)
class Amount:
    """An exact figure with its unit, the Chinese way in zh."""

    value: float
    unit_zh: str

    def render(self, lang: str) -> str:
        """The figure as text."""
        return value_shown(self.value, "exact", self.unit_zh, self.unit_zh, lang)


@dataclass(frozen=True)
class NumberNote:
    """A NumberError of lib.core.numbers that has no upload string of its own."""

    code: str
    text: str
    unit: str | None = None
    indicator_unit: str | None = None

    def render(self, lang: str) -> str:
        """lib.core.numbers' own message."""
        return NumberError(
            self.code, self.text, unit=self.unit, indicator_unit=self.indicator_unit
        ).message(lang)


@dataclass(frozen=True)
class Problem:
    """One reason the file is refused: a code and its parameters, where it is (file row, None =
    the whole file; the column's header or name), the cell's value, and notes added after."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    row: int | None = None
    column: str | Msg = ""
    value: str = ""
    notes: tuple[Msg, ...] = ()

    def reason(self, lang: str) -> str:
        """Why, in a language."""
        text = t(self.code, lang, **render_params(self.params, lang))
        return text + "".join(n.render(lang) for n in self.notes)

    def column_name(self, lang: str) -> str:
        """The column's header (or the field's name in a language)."""
        return self.column.render(lang) if isinstance(self.column, Msg) else self.column

    def line(self, lang: str) -> str:
        """The problem as one sentence, e.g. 第 5 行，列“数值”：“1.8万2”不是有效数字."""
        if self.row is None:
            return t("upload.problem_file", lang, reason=self.reason(lang))
        return t(
            "upload.problem_line",
            lang,
            row=self.row,
            column=self.column_name(lang),
            reason=self.reason(lang),
        )


class CellError(Exception):
    """A cell is wrong: the code and parameters of the problem it makes."""

    def __init__(self, code: str, **params: object) -> None:
        """Keep the string key and its parameters."""
        self.code = code
        self.params = params
        super().__init__(code)

    def reason(self, lang: str) -> str:
        """The reason in a language."""
        return t(self.code, lang, **render_params(self.params, lang))


class ImportRefused(Exception):
    """The import or undo cannot go ahead (nothing written); ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        """Keep the user-facing message."""
        self.message = message
        super().__init__(message)


class BatchNotFound(ImportRefused):
    """Undo of a batch id that does not exist."""
