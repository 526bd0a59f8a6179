"""Strict validation of Bot API calls against the published Telegram Bot API specification.

The project's tests talk to a fake Bot API instead of Telegram.  A fake that accepts anything lets
a test pass on a request the real server would refuse with ``400 Bad Request`` (an unknown field,
a 65-byte ``callback_data``, a ``<br>`` in HTML text, a keyboard button without an action...).
This module closes that gap: :meth:`BotApiSpec.check_call` checks one call's decoded parameters
against ``bot-api.json`` (the machine-readable Bot API specification stored next to this file)
and raises :class:`SpecViolation` listing every problem it finds.

Everything that can be derived from the specification is derived from it rather than written
out by hand, so updating ``bot-api.json`` updates the rules:

* method names, field names, which fields are required, and their JSON types, recursively
  through nested objects, arrays and unions (a union's variant is chosen by its discriminator
  field, the one whose documentation says "must be chat" or 'always "user"');
* limits stated in the field documentation: "1-4096 characters", "1-64 bytes", "Values between
  1-100 are accepted", "list of 1-100 identifiers", "At most 100 commands can be specified",
  "must be one of ...", "Can contain only lowercase English letters, digits and underscores",
  "A two-letter ISO 639-1 language code", and the "Exactly one of the fields other than ... must
  be used" rule of a type's description.

Only the HTML parse mode is modelled by hand, because the specification refers to the
"formatting options" section in prose: the supported tags, their nesting, and the escaping of
``<``, ``>`` and ``&``.  The tag parser follows TDLib's ``parse_html`` (which is what the Bot API
server runs), except that it also enforces the documented escaping rules that TDLib is lenient
about, so a test fails on markup that only works by accident.

Limits are only enforced where the documentation states them unambiguously; a rule that depends
on state the fake cannot know ("must not exceed the current live_period by more than a day") or
on the current time is left out.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("bot-api.json")

_ARRAY_PREFIX = "Array of "
_PRIMITIVES = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})
# Types whose JSON representation is a string; a value of such a field is never JSON-decoded.
_STRING_LIKE = frozenset({"String", "InputFile"})

# The Bot API server lower-cases parse_mode and accepts these values (an empty value or "none"
# means "no parsing"); anything else is refused with "Unsupported parse_mode".
_PARSE_MODES = frozenset({"", "none", "html", "markdown", "markdownv2"})
_ASCII_SPACE = " \t\n\r\x0b\x0c"


class SpecViolation(AssertionError):
    """A Bot API call that Telegram would refuse; ``problems`` has one entry per problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        count = len(self.problems)
        header = f"Telegram would refuse this Bot API call ({count} problem{'s' * (count != 1)}):"
        super().__init__("\n".join([header, *self.problems]))


# --------------------------------------------------------------------------------------------
# Rules parsed from the specification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Length:
    """A documented string length such as "1-4096 characters" or "1-64 bytes"."""

    low: int
    high: int
    unit: str  # "characters" or "bytes"
    after_parsing: bool  # "... after entities parsing": measured on the text Telegram renders


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    length: _Length | None = None
    item_count: tuple[int, int] | None = None
    number_range: tuple[int, int] | None = None
    pattern: tuple[re.Pattern[str], str] | None = None  # (regex, what it means)
    choices: tuple[str | int, ...] | None = None
    constant: str | None = None  # "Scope type, must be chat" -> "chat"
    max_line_feeds: int | None = None


@dataclass(frozen=True)
class _ObjectSpec:
    """A method's parameters or an object type's fields, with the rules that span fields."""

    name: str
    fields: dict[str, _FieldSpec]
    # "Exactly one of the fields other than text, ... must be used": (mode, candidate fields)
    one_of: tuple[str, tuple[str, ...]] | None = None
    # "For simple text buttons, String can be used instead of this object"
    string_allowed: bool = False
    # text field -> the field holding its parse mode (text -> parse_mode, quote -> quote_parse_mode)
    parse_mode_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _UnionSpec:
    """A type documented as one of several subtypes (BotCommandScope, InputMedia, ...)."""

    name: str
    members: tuple[str, ...]  # type expressions; RichText even lists "String"
    discriminator: str | None  # the field telling the variants apart, usually "type"
    variants: dict[str, tuple[str, ...]]  # discriminator value -> object types using it


_LENGTH_RE = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b")
_AFTER_PARSING_RE = re.compile(r"after entit(?:y|ies) parsing")
_LINE_FEEDS_RE = re.compile(r"with at most (\d+) line feeds")
_CONSTANT_RE = re.compile(r"(?:must be|always) \"?([a-z0-9_]+)\"?\.?$")
_CHOICE_CLAUSE_RE = re.compile(r"\b[Mm]ust be one of (.+?)(?:\.\s|\.?$)")
_QUOTED_RE = re.compile(r"\"([^\"]+)\"")
# Array lengths: "list of 1-100 identifiers", "must include 2-10 items", "up to 10 items",
# "list of up to 10 identifiers", "At most 100 commands can be specified".
_COUNT_RANGE_RES = (
    re.compile(r"\b[Ll]ist of (\d+)-(\d+) "),
    re.compile(r"\bmust include (\d+)-(\d+) items\b"),
)
_COUNT_MAX_RES = (
    re.compile(r"\bup to (\d+) items\b"),
    re.compile(r"\b[Ll]ist of up to (\d+) "),
    re.compile(r"\bAt most (\d+) [\w ]+? can be specified\b"),
)
# Number ranges: "Values between 1-100 are accepted", "Must be between 1 and 360 if specified",
# and a trailing "; 1-25000" / ", 1-100. Defaults to 40".  Lower-case "must be between" is left
# out on purpose: in the spec it only occurs in conditional sentences ("price in Telegram Stars
# must be between 5 and 100000, and price in nanotoncoins must be between ...").
_NUMBER_RANGE_RES = (
    re.compile(r"\bValues between (\d+)-(\d+) are accepted\b"),
    re.compile(r"(?:^|\. )Must be between (\d+) and (\d+)(?: if specified)?(?:\.|$)"),
    re.compile(r"[;,] (\d+)-(\d+)(?=[.,]|$)"),
)
_LANGUAGE_CODE_PHRASE = "A two-letter ISO 639-1 language code"
_CHARSET_RULES = (
    (
        "Can contain only lowercase English letters, digits and underscores",
        re.compile(r"[a-z0-9_]*"),
        "only lowercase English letters, digits and underscores",
    ),
    (
        "A-Z, a-z, 0-9, _ and - are allowed",
        re.compile(r"[A-Za-z0-9_-]*"),
        "only A-Z, a-z, 0-9, _ and -",
    ),
)
_ONE_OF_RES = (
    # InlineKeyboardButton / KeyboardButton
    re.compile(r"\b(Exactly|At most) one of the fields other than ([\w, ]+?) must be used"),
    # InputRichMessage: "Exactly one of the fields html or markdown must be used."
    re.compile(r"\b(Exactly) one of the fields (\w+ or \w+) must be used"),
    # InlineQueryResultsButton: "You must use exactly one of the optional fields."
    re.compile(r"\b(?:You must use )?(exactly|At most) one of the optional fields\b()"),
)


def _parse_field(raw: Mapping[str, Any]) -> _FieldSpec:
    name = str(raw["name"])
    types = tuple(str(t) for t in raw["types"])
    description = str(raw.get("description", ""))
    is_string = "String" in types
    is_number = bool({"Integer", "Float"} & set(types))
    is_array = any(t.startswith(_ARRAY_PREFIX) for t in types)

    length = None
    if is_string and (m := _LENGTH_RE.search(description)):
        length = _Length(int(m[1]), int(m[2]), m[3], bool(_AFTER_PARSING_RE.search(description)))

    item_count = None
    if is_array:
        for regex in _COUNT_RANGE_RES:
            if m := regex.search(description):
                item_count = (int(m[1]), int(m[2]))
                break
        else:
            for regex in _COUNT_MAX_RES:
                if m := regex.search(description):
                    item_count = (0, int(m[1]))
                    break

    number_range = None
    if is_number:
        for regex in _NUMBER_RANGE_RES:
            if m := regex.search(description):
                number_range = (int(m[1]), int(m[2]))
                break

    pattern = None
    if is_string:
        if description.startswith(_LANGUAGE_CODE_PHRASE):
            pattern = (
                re.compile(r"(?:[a-z]{2})?"),
                "empty or a two-letter lowercase ISO 639-1 code",
            )
        for phrase, regex, meaning in _CHARSET_RULES:
            if phrase in description:
                pattern = (regex, meaning)

    choices: tuple[str | int, ...] | None = None
    if m := _CHOICE_CLAUSE_RE.search(description):
        clause = m[1]
        if is_string and (quoted := _QUOTED_RE.findall(clause)):
            choices = tuple(quoted)
        elif "Integer" in types:
            # "one of 3, 6, or 12"; "one of 7322096 (0x6FB9F0), ..."; "6 * 3600, ..., 2 * 86400"
            items = [i.strip() for i in re.split(r",|\bor\b", re.sub(r"\([^)]*\)", "", clause))]
            items = [i for i in items if i]
            if items and all(re.fullmatch(r"\d+(?: \* \d+)*", i) for i in items):
                choices = tuple(_product(i) for i in items)

    constant = None
    if types == ("String",) and (m := _CONSTANT_RE.search(description)):
        constant = m[1]

    max_line_feeds = None
    if is_string and (m := _LINE_FEEDS_RE.search(description)):
        max_line_feeds = int(m[1])

    return _FieldSpec(
        name=name,
        types=types,
        required=bool(raw.get("required", False)),
        description=description,
        length=length,
        item_count=item_count,
        number_range=number_range,
        pattern=pattern,
        choices=choices,
        constant=constant,
        max_line_feeds=max_line_feeds,
    )


def _product(expression: str) -> int:
    result = 1
    for factor in expression.split("*"):
        result *= int(factor)
    return result


def _parse_object(raw: Mapping[str, Any]) -> _ObjectSpec:
    fields = {f.name: f for f in (_parse_field(r) for r in raw.get("fields", []))}
    description = " ".join(str(line) for line in raw.get("description", []))

    one_of = None
    for regex in _ONE_OF_RES:
        if m := regex.search(description):
            mode = "exactly" if m[1].lower() == "exactly" else "at most"
            named = [n for n in re.split(r",?\s+(?:and|or)\s+|,\s*", m[2]) if n]
            if "other than" in m[0] or not named:
                candidates = tuple(
                    n for n, f in fields.items() if not f.required and n not in named
                )
            else:
                candidates = tuple(named)
            one_of = (mode, candidates)
            break

    parse_mode_of: dict[str, str] = {}
    for name, spec in fields.items():
        if spec.types != ("String",) or name.endswith("parse_mode"):
            continue
        if f"{name}_parse_mode" in fields:
            parse_mode_of[name] = f"{name}_parse_mode"
        elif "parse_mode" in fields and (
            name in ("text", "caption", "message_text")
            # "Mode for parsing entities in the title." (but not "in the photo caption")
            or f"entities in the {name}." in fields["parse_mode"].description
        ):
            parse_mode_of[name] = "parse_mode"

    return _ObjectSpec(
        name=str(raw["name"]),
        fields=fields,
        one_of=one_of,
        string_allowed="String can be used instead of this object" in description,
        parse_mode_of=parse_mode_of,
    )


# --------------------------------------------------------------------------------------------
# HTML parse mode
# --------------------------------------------------------------------------------------------

# https://core.telegram.org/bots/api#html-style; tag names are case-insensitive.
_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "tg-time", "code", "pre", "blockquote",
    }
)  # fmt: skip
# Documented: numeric entities, and only the named entities &lt; &gt; &amp; &quot;.
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]+)|#x([0-9a-fA-F]+));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TIME_FORMAT_RE = re.compile(r"r|w?[dD]?[tT]?")


@dataclass
class HtmlParseResult:
    """The text Telegram would display for an HTML-formatted string, or why it can't parse it."""

    text: str
    errors: list[str]


def parse_html(source: str) -> HtmlParseResult:
    """Parse ``source`` like the Bot API's HTML parse mode.

    Structural errors stop parsing, as they do on the server (which reports only the first);
    stray ``>`` and ``&`` are all collected because each needs its own fix.
    """
    out: list[str] = []
    errors: list[str] = []
    stack: list[str] = []
    i, n = 0, len(source)

    def fail(message: str) -> HtmlParseResult:
        errors.append(f"can't parse entities: {message}")
        return HtmlParseResult("".join(out), errors)

    while i < n:
        char = source[i]
        if char == "&":
            entity = _HTML_ENTITY_RE.match(source, i)
            decoded = _decode_entity(entity) if entity else None
            if entity is None or decoded is None:
                shown = source[i : i + 10].split(" ")[0]
                errors.append(
                    f"can't parse entities: '&' at offset {i} ({shown!r}) does not start a "
                    "supported HTML entity; escape it as &amp;"
                )
                out.append("&")
                i += 1
                continue
            out.append(decoded)
            i = entity.end()
            continue
        if char == ">":
            errors.append(
                f"can't parse entities: '>' at offset {i} is not part of a tag; escape it as &gt;"
            )
            out.append(">")
            i += 1
            continue
        if char != "<":
            out.append(char)
            i += 1
            continue

        tag_start = i
        if source.startswith("</", i):
            j = i + 2
            while j < n and not source[j].isspace() and source[j] != ">":
                j += 1
            end_name = source[i + 2 : j].lower()
            while j < n and source[j].isspace():
                j += 1
            if j >= n or source[j] != ">":
                return fail(f"Unclosed end tag at offset {tag_start}")
            if not stack:
                return fail(f'Unexpected end tag "</{end_name}>" at offset {tag_start}')
            # An empty end tag "</>" closes whatever is open; TDLib accepts it.
            if end_name and end_name != stack[-1]:
                return fail(
                    f'Unmatched end tag at offset {tag_start}, expected "</{stack[-1]}>", '
                    f'found "</{end_name}>"'
                )
            stack.pop()
            i = j + 1
            continue

        j = i + 1
        while j < n and not source[j].isspace() and source[j] != ">":
            j += 1
        if j >= n:
            return fail(f"Unclosed start tag at offset {tag_start}")
        tag = source[i + 1 : j].lower()
        if tag not in _HTML_TAGS:
            return fail(f'Unsupported start tag "{tag}" at offset {tag_start}')
        attributes: dict[str, str] = {}
        while True:
            while j < n and source[j].isspace():
                j += 1
            if j >= n:
                return fail(f'Unclosed start tag "{tag}" at offset {tag_start}')
            if source[j] == ">":
                break
            name_start = j
            while j < n and not source[j].isspace() and source[j] not in "=>":
                j += 1
            attribute = source[name_start:j].lower()
            while j < n and source[j].isspace():
                j += 1
            if j >= n:
                return fail(f'Unclosed start tag "{tag}" at offset {tag_start}')
            if source[j] != "=":
                # The only documented attribute without a value.
                if tag == "blockquote" and attribute == "expandable":
                    attributes[attribute] = ""
                    continue
                return fail(
                    f'Expected equal sign in declaration of attribute "{attribute}" of the tag '
                    f'"{tag}" at offset {tag_start}'
                )
            j += 1
            while j < n and source[j].isspace():
                j += 1
            if j >= n:
                return fail(f'Unclosed start tag "{tag}" at offset {tag_start}')
            if source[j] in "\"'":
                close = source.find(source[j], j + 1)
                if close < 0:
                    return fail(f'Unclosed start tag "{tag}" at offset {tag_start}')
                value = _unescape_attribute(source[j + 1 : close])
                j = close + 1
            else:
                token_start = j
                while j < n and (source[j].isalnum() or source[j] in ".-"):
                    j += 1
                if j < n and not source[j].isspace() and source[j] != ">":
                    return fail(f"Unexpected end of name token at offset {token_start}")
                value = source[token_start:j].lower()
            attributes[attribute] = value
        problem = _check_tag_attributes(tag, attributes)
        if problem:
            return fail(f"{problem} at offset {tag_start}")
        stack.append(tag)
        i = j + 1

    if stack:
        return fail(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return HtmlParseResult("".join(out), errors)


def _decode_entity(match: re.Match[str]) -> str | None:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    # TDLib rejects 0 and values from 0x10FFFF up; a lone surrogate makes the text invalid UTF-8.
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_attribute(value: str) -> str:
    # Inside attribute values the server decodes entities but keeps a stray '&' literally.
    def replace(m: re.Match[str]) -> str:
        decoded = _decode_entity(m)
        return m[0] if decoded is None else decoded

    return _HTML_ENTITY_RE.sub(replace, value)


def _check_tag_attributes(tag: str, attributes: Mapping[str, str]) -> str | None:
    if tag == "span" and attributes.get("class") != "tg-spoiler":
        return 'Tag "span" must have class "tg-spoiler"'
    if tag == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit() or not 0 < int(emoji_id) < 2**63:
            return 'Tag "tg-emoji" needs a valid custom emoji identifier in "emoji-id"'
    if tag == "tg-time":
        if not re.fullmatch(r"-?\d+", attributes.get("unix", "")):
            return 'Tag "tg-time" needs a Unix time in "unix"'
        if "format" in attributes and not _TIME_FORMAT_RE.fullmatch(attributes["format"]):
            return 'Tag "tg-time" has a "format" not matching r|w?[dD]?[tT]?'
    return None


# --------------------------------------------------------------------------------------------
# The specification
# --------------------------------------------------------------------------------------------


class BotApiSpec:
    """The Bot API specification, able to check calls against it."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = str(raw["version"])
        self._methods = {name: _parse_object(m) for name, m in raw["methods"].items()}
        self._methods_folded = {name.lower(): name for name in self._methods}
        self._objects: dict[str, _ObjectSpec] = {}
        self._unions: dict[str, _UnionSpec] = {}
        for name, t in raw["types"].items():
            if t.get("subtypes"):
                self._unions[name] = _UnionSpec(name, tuple(t["subtypes"]), None, {})
            else:
                self._objects[name] = _parse_object(t)
        for name, union in self._unions.items():
            self._unions[name] = self._with_discriminator(union)

    @classmethod
    def from_file(cls, path: Path) -> BotApiSpec:
        with path.open(encoding="utf-8") as f:
            return cls(json.load(f))

    # -- public API --------------------------------------------------------------------------

    def has_method(self, method: str) -> bool:
        return self._resolve_method(method) is not None

    def check_call(
        self,
        method: str,
        params: Mapping[str, object],
        *,
        uploads: Collection[str] | None = None,
    ) -> None:
        """Raise SpecViolation unless Telegram would accept this call's parameters.

        ``params`` are decoded JSON values, as ``RequestData.parameters`` gives them.  Any string
        is accepted where the spec allows an InputFile (a file_id, a URL or "attach://name").

        ``uploads`` optionally names the multipart parts sent along (the keys of
        ``RequestData.multipart_data``).  python-telegram-bot leaves a directly uploaded file
        (``send_photo(photo=open(...))``) out of ``parameters`` and sends it as the part named
        after the field, so without
        ``uploads`` such a call looks like it lacks its required ``photo``.  When ``uploads`` is
        given, every "attach://name" reference must also name an uploaded part.
        """
        name = self._resolve_method(method)
        if name is None:
            close = difflib.get_close_matches(method, self._methods, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise SpecViolation([f"{method}: unknown Bot API method{hint}"])
        spec = self._methods[name]
        problems: list[str] = []
        present = dict(params)
        for part in uploads or ():
            upload_field = spec.fields.get(part)
            if upload_field and "InputFile" in upload_field.types and part not in present:
                present[part] = f"attach://{part}"
        self._check_object(present, spec, name, problems)
        if uploads is not None:
            for path, target in _attach_references(params, name):
                if target not in uploads:
                    problems.append(f'{path}: "attach://{target}" names no uploaded file')
        if problems:
            raise SpecViolation(problems)

    def decode_form(self, method: str, form: Mapping[str, str]) -> dict[str, object]:
        """Decode python-telegram-bot's form-encoded parameters back into JSON values.

        ``RequestData.json_parameters`` sends str values as they are and JSON-encodes everything
        else, so a field that can only hold a string stays a str; any other field is JSON-decoded,
        falling back to the raw string when that fails and the spec allows a String.
        """
        name = self._resolve_method(method)
        if name is None:
            raise SpecViolation([f"{method}: unknown Bot API method"])
        fields = self._methods[name].fields
        decoded: dict[str, object] = {}
        for key, raw in form.items():
            spec = fields.get(key)
            if spec is not None and set(spec.types) <= _STRING_LIKE:
                decoded[key] = raw
                continue
            try:
                decoded[key] = json.loads(raw)
            except ValueError:
                # Unknown fields and non-JSON text are kept; check_call reports what's wrong.
                decoded[key] = raw
        return decoded

    # -- checking ----------------------------------------------------------------------------

    def _resolve_method(self, method: str) -> str | None:
        if method in self._methods:
            return method
        return self._methods_folded.get(method.lower())

    def _check_object(
        self,
        value: Mapping[str, object],
        spec: _ObjectSpec,
        path: str,
        problems: list[str],
    ) -> None:
        for key, required_field in spec.fields.items():
            # python-telegram-bot never sends a JSON null; treat one like a missing value.
            if required_field.required and value.get(key) is None:
                problems.append(f"{path}.{key}: missing required field ({spec.name})")
        for key, item in value.items():
            spec_field = spec.fields.get(key)
            if spec_field is None:
                close = difflib.get_close_matches(key, spec.fields, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                problems.append(f"{path}.{key}: unknown field (not in {spec.name}){hint}")
                continue
            if item is None:
                continue
            self._check_value(item, spec_field.types, f"{path}.{key}", problems)
            self._check_field_rules(item, spec_field, value, spec, f"{path}.{key}", problems)
        if spec.one_of is not None:
            mode, candidates = spec.one_of
            used = [c for c in candidates if value.get(c) is not None]
            if mode == "exactly" and len(used) != 1:
                got = ", ".join(used) if used else "none"
                problems.append(
                    f"{path}: {spec.name} must use exactly one of {', '.join(candidates)} "
                    f"(got {got})"
                )
            elif mode == "at most" and len(used) > 1:
                problems.append(
                    f"{path}: {spec.name} may use at most one of {', '.join(candidates)} "
                    f"(got {', '.join(used)})"
                )

    def _check_field_rules(
        self,
        value: object,
        spec_field: _FieldSpec,
        siblings: Mapping[str, object],
        owner: _ObjectSpec,
        path: str,
        problems: list[str],
    ) -> None:
        if isinstance(value, str):
            self._check_string_rules(value, spec_field, siblings, owner, path, problems)
        elif isinstance(value, list):
            if spec_field.item_count is not None:
                low, high = spec_field.item_count
                if not low <= len(value) <= high:
                    problems.append(
                        f"{path}: must have {low}-{high} items, got {len(value)}"
                        if low
                        else f"{path}: must have at most {high} items, got {len(value)}"
                    )
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if spec_field.number_range is not None:
                low, high = spec_field.number_range
                if not low <= value <= high:
                    problems.append(f"{path}: must be between {low} and {high}, got {value}")
            if spec_field.choices is not None and value not in spec_field.choices:
                allowed = ", ".join(map(str, spec_field.choices))
                problems.append(f"{path}: must be one of {allowed}, got {value}")

    def _check_string_rules(
        self,
        value: str,
        spec_field: _FieldSpec,
        siblings: Mapping[str, object],
        owner: _ObjectSpec,
        path: str,
        problems: list[str],
    ) -> None:
        if spec_field.constant is not None and value != spec_field.constant:
            problems.append(
                f'{path}: must be "{spec_field.constant}" in {owner.name}, got {value!r}'
            )
        if spec_field.choices is not None and value not in spec_field.choices:
            allowed = ", ".join(f'"{c}"' for c in spec_field.choices)
            problems.append(f"{path}: must be one of {allowed}, got {value!r}")
        if spec_field.pattern is not None:
            regex, meaning = spec_field.pattern
            if not regex.fullmatch(value):
                problems.append(f"{path}: must be {meaning}, got {value!r}")
        if spec_field.name.endswith("parse_mode") and value.lower() not in _PARSE_MODES:
            problems.append(
                f"{path}: unsupported parse_mode {value!r} (use HTML, MarkdownV2 or Markdown)"
            )

        # What Telegram measures: the displayed text, once the markup has been parsed.
        rendered: str | None = value
        mode_field = owner.parse_mode_of.get(spec_field.name)
        mode = siblings.get(mode_field) if mode_field else None
        mode = mode.lower() if isinstance(mode, str) else ""
        after = " after entity parsing" if mode == "html" else ""
        if mode == "html" and value:
            parsed = parse_html(value)
            problems.extend(f"{path}: {error}" for error in parsed.errors)
            rendered = None if parsed.errors else parsed.text
        elif mode in ("markdown", "markdownv2") and value:
            rendered = None  # not modelled: the raw length says nothing about the shown length

        length = spec_field.length
        if length is not None and rendered is not None:
            # Telegram counts "characters" in UTF-16 code units (as its entity offsets): an
            # emoji outside the Basic Multilingual Plane counts as two.
            if length.unit == "bytes":
                size = len(rendered.encode("utf-8"))
            else:
                size = len(rendered.encode("utf-16-le")) // 2
            if size < length.low or size > length.high:
                problems.append(
                    f"{path}: must be {length.low}-{length.high} {length.unit}{after}, got {size}"
                )
            elif length.low > 0 and length.after_parsing and not rendered.strip(_ASCII_SPACE):
                # The server trims the text and then refuses it as "message text is empty".
                problems.append(f"{path}: text is empty{after} once whitespace is trimmed")
        if spec_field.max_line_feeds is not None and rendered is not None:
            feeds = rendered.count("\n")
            if feeds > spec_field.max_line_feeds:
                problems.append(
                    f"{path}: at most {spec_field.max_line_feeds} line feeds allowed, got {feeds}"
                )

    def _check_value(
        self, value: object, types: Sequence[str], path: str, problems: list[str]
    ) -> None:
        candidates = [t for t in types if self._kind_matches(value, t)]
        if not candidates:
            expected = " or ".join(types)
            problems.append(f"{path}: expected {expected}, got {_describe(value)}")
            return
        if len(candidates) == 1:
            self._check_typed(value, candidates[0], path, problems)
            return
        # Several types accept this JSON kind (reply_markup: InlineKeyboardMarkup or
        # ReplyKeyboardMarkup or ...): report against the one the value fits best.
        best: tuple[int, int, list[str]] | None = None
        for candidate in candidates:
            attempt: list[str] = []
            self._check_typed(value, candidate, path, attempt)
            if not attempt:
                return
            score = (self._misfit(value, candidate), len(attempt), attempt)
            if best is None or score[:2] < best[:2]:
                best = score
        assert best is not None
        problems.extend(best[2])

    def _check_typed(self, value: object, type_expr: str, path: str, problems: list[str]) -> None:
        """Check ``value``, whose JSON kind already fits ``type_expr``, against that type."""
        if type_expr.startswith(_ARRAY_PREFIX):
            assert isinstance(value, list)
            item_type = type_expr.removeprefix(_ARRAY_PREFIX)
            for index, item in enumerate(value):
                self._check_value(item, [item_type], f"{path}[{index}]", problems)
        elif type_expr in self._unions:
            self._check_union(value, self._unions[type_expr], path, problems)
        elif type_expr in self._objects and isinstance(value, dict):
            self._check_object(value, self._objects[type_expr], path, problems)

    def _check_union(
        self, value: object, union: _UnionSpec, path: str, problems: list[str]
    ) -> None:
        if not isinstance(value, dict):
            # RichText may be a plain String or an Array of RichText.
            self._check_value(
                value, [m for m in union.members if m not in self._objects], path, problems
            )
            return
        variants = [m for m in union.members if m in self._objects]
        if union.discriminator is not None:
            tag = value.get(union.discriminator)
            allowed = ", ".join(f'"{v}"' for v in union.variants)
            if tag is None:
                problems.append(
                    f"{path}.{union.discriminator}: missing; {union.name} needs one of {allowed}"
                )
                return
            if not isinstance(tag, str) or tag not in union.variants:
                problems.append(
                    f"{path}.{union.discriminator}: unknown {union.name} "
                    f"{union.discriminator} {tag!r}; expected one of {allowed}"
                )
                return
            variants = list(union.variants[tag])
        best: tuple[int, int, str, list[str]] | None = None
        for variant in variants:
            attempt: list[str] = []
            self._check_object(value, self._objects[variant], path, attempt)
            if not attempt:
                return
            score = (self._misfit(value, variant), len(attempt), variant, attempt)
            if best is None or score[:2] < best[:2]:
                best = score
        assert best is not None
        if len(variants) > 1:
            problems.append(
                f"{path}: matches no {union.name} variant ({', '.join(variants)}); "
                f"closest is {best[2]}:"
            )
        problems.extend(best[3])

    def _kind_matches(self, value: object, type_expr: str) -> bool:
        """Whether the JSON kind of ``value`` (number, string, list, object) fits the type."""
        if type_expr.startswith(_ARRAY_PREFIX):
            return isinstance(value, list)
        if type_expr == "Boolean":
            return isinstance(value, bool)
        if type_expr == "Integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if type_expr == "Float":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if type_expr in _STRING_LIKE:
            return isinstance(value, str)
        if type_expr in self._unions:
            return any(self._kind_matches(value, m) for m in self._unions[type_expr].members)
        if type_expr in self._objects:
            return isinstance(value, dict) or (
                isinstance(value, str) and self._objects[type_expr].string_allowed
            )
        return False

    def _misfit(self, value: object, type_expr: str) -> int:
        """How badly ``value`` fits the shape of ``type_expr``, ignoring nested details."""
        if type_expr.startswith(_ARRAY_PREFIX) and isinstance(value, list):
            item_type = type_expr.removeprefix(_ARRAY_PREFIX)
            return sum(self._misfit(item, item_type) for item in value)
        if type_expr in self._unions and isinstance(value, dict):
            union = self._unions[type_expr]
            if union.discriminator is None:
                return 0
            return int(value.get(union.discriminator) not in union.variants)
        spec = self._objects.get(type_expr)
        if spec is None or not isinstance(value, dict):
            return 0
        unknown = sum(1 for key in value if key not in spec.fields)
        missing = sum(1 for n, f in spec.fields.items() if f.required and n not in value)
        wrong_constant = sum(
            1
            for n, f in spec.fields.items()
            if f.constant is not None and n in value and value[n] != f.constant
        )
        return unknown + missing + wrong_constant

    def _with_discriminator(self, union: _UnionSpec) -> _UnionSpec:
        """Find the field whose documented constant ("must be chat") tells the variants apart."""
        objects = [self._objects[m] for m in union.members if m in self._objects]
        if not objects:
            return union
        shared = set(objects[0].fields)
        for spec in objects[1:]:
            shared &= set(spec.fields)
        for name in sorted(shared, key=lambda n: n != "type"):
            if all(spec.fields[name].constant is not None for spec in objects):
                variants: dict[str, tuple[str, ...]] = {}
                for spec in objects:
                    constant = spec.fields[name].constant
                    assert constant is not None
                    variants[constant] = (*variants.get(constant, ()), spec.name)
                return _UnionSpec(union.name, union.members, name, variants)
        return union


def _attach_references(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, name) for every "attach://name" string in a decoded parameter tree."""
    if isinstance(value, str):
        if value.startswith("attach://"):
            yield path, value.removeprefix("attach://")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _attach_references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _attach_references(item, f"{path}[{index}]")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    kind = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array",
            dict: "object"}.get(type(value), type(value).__name__)  # fmt: skip
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} {shown}"


@cache
def load_spec() -> BotApiSpec:
    """The specification stored next to this module, parsed once per process."""
    return BotApiSpec.from_file(SPEC_PATH)
