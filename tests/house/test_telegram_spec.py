"""Tests of the Bot API specification validator used by the test fakes (tests/telegram_spec).

Every rule has a test showing that it fires, with the problem's path and wording, and one showing
that a correct call passes; the last tests feed it what python-telegram-bot really sends.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.request import BaseRequest, RequestData

import tests.telegram_spec as telegram_spec
from tests.telegram_spec import BotApiSpec, SpecViolation, load_spec

SPEC = load_spec()
# shared/ stands beside the repository on developers' machines and in CI.
SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "telegram" / "bot-api.json"


def problems_of(method: str, params: Mapping[str, object], **kwargs: object) -> list[str]:
    """The problems check_call reports, failing the test if it reports none."""
    with pytest.raises(SpecViolation) as caught:
        SPEC.check_call(method, params, **kwargs)  # type: ignore[arg-type]
    problems: list[str] = caught.value.problems
    return problems


def assert_problem(problems: list[str], *fragments: str) -> None:
    """Assert that one reported problem contains every fragment."""
    assert any(all(f in p for f in fragments) for p in problems), problems


def message(**extra: object) -> dict[str, object]:
    return {"chat_id": 42, "text": "Hei", **extra}


def keyboard(*buttons: Mapping[str, object]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


# --- loading -----------------------------------------------------------------------------------


def test_spec_loads_once_and_knows_its_version() -> None:
    assert load_spec() is SPEC
    assert SPEC.version == "Bot API 10.1"
    assert isinstance(SPEC, BotApiSpec)


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="shared copy not present")
def test_spec_file_is_a_byte_identical_copy() -> None:
    local = Path(telegram_spec.__file__).with_name("bot-api.json")
    assert local.read_bytes() == SHARED_SPEC.read_bytes()


def test_violation_lists_every_problem_one_per_line() -> None:
    problems = problems_of("sendMessage", {"text": "", "bogus": 1})
    assert len(problems) == 3
    with pytest.raises(SpecViolation) as caught:
        SPEC.check_call("sendMessage", {"text": "", "bogus": 1})
    lines = str(caught.value).splitlines()
    assert lines[1:] == problems
    assert isinstance(caught.value, AssertionError)


# --- 1. methods --------------------------------------------------------------------------------


def test_unknown_method_is_refused() -> None:
    assert not SPEC.has_method("sendMesage")
    problems = problems_of("sendMesage", message())
    assert_problem(problems, "sendMesage: unknown Bot API method", "did you mean sendMessage")


def test_method_name_matches_case_insensitively() -> None:
    assert SPEC.has_method("sendMessage")
    assert SPEC.has_method("sendmessage")
    SPEC.check_call("sendmessage", message())
    assert_problem(problems_of("SENDMESSAGE", {"chat_id": 1}), "sendMessage.text: missing")


def test_method_without_parameters_accepts_an_empty_call() -> None:
    SPEC.check_call("getMe", {})
    assert_problem(problems_of("getMe", {"x": 1}), "getMe.x: unknown field")


# --- 2. required and unknown fields, recursively -----------------------------------------------


def test_missing_required_field() -> None:
    assert_problem(
        problems_of("sendMessage", {"chat_id": 42}), "sendMessage.text: missing required field"
    )
    assert_problem(
        problems_of("sendMessage", {"text": "x"}), "sendMessage.chat_id: missing required field"
    )


def test_unknown_top_level_field() -> None:
    assert_problem(
        problems_of("sendMessage", message(disable_web_page_preview=True)),
        "sendMessage.disable_web_page_preview: unknown field",
    )


def test_unknown_field_in_nested_objects_and_arrays() -> None:
    params = message(
        reply_markup=keyboard(
            {"text": "a", "callback_data": "a"}, {"text": "b", "callback_data": "b", "colour": 1}
        ),
        reply_parameters={"message_id": 1, "quote_pos": 3},
    )
    problems = problems_of("sendMessage", params)
    assert_problem(problems, "sendMessage.reply_markup.inline_keyboard[0][1].colour: unknown field")
    assert_problem(problems, "sendMessage.reply_parameters.quote_pos: unknown field")
    assert len(problems) == 2


def test_missing_required_field_in_nested_object() -> None:
    assert_problem(
        problems_of("sendMessage", message(reply_parameters={"chat_id": 1})),
        "sendMessage.reply_parameters.message_id: missing required field (ReplyParameters)",
    )


def test_correct_nested_call_passes() -> None:
    SPEC.check_call(
        "sendMessage",
        message(
            reply_markup=keyboard(
                {"text": "a", "callback_data": "a"}, {"text": "b", "url": "https://example.org"}
            ),
            reply_parameters={"message_id": 1},
            link_preview_options={"is_disabled": True},
        ),
    )


def test_union_variant_is_chosen_by_its_discriminator() -> None:
    commands = [{"command": "start", "description": "Start"}]
    SPEC.check_call(
        "setMyCommands", {"commands": commands, "scope": {"type": "chat", "chat_id": 1}}
    )
    SPEC.check_call("setMyCommands", {"commands": commands, "scope": {"type": "default"}})
    # chat_id belongs to "chat", not to "default"
    assert_problem(
        problems_of(
            "setMyCommands", {"commands": commands, "scope": {"type": "default", "chat_id": 1}}
        ),
        "setMyCommands.scope.chat_id: unknown field (not in BotCommandScopeDefault)",
    )
    assert_problem(
        problems_of("setMyCommands", {"commands": commands, "scope": {"type": "chat"}}),
        "setMyCommands.scope.chat_id: missing required field (BotCommandScopeChat)",
    )


def test_union_with_unknown_or_missing_discriminator() -> None:
    commands = [{"command": "start", "description": "Start"}]
    assert_problem(
        problems_of("setMyCommands", {"commands": commands, "scope": {"type": "group"}}),
        "setMyCommands.scope.type: unknown BotCommandScope type 'group'",
        '"chat_member"',
    )
    assert_problem(
        problems_of("setMyCommands", {"commands": commands, "scope": {"chat_id": 1}}),
        "setMyCommands.scope.type: missing",
    )


def test_union_inside_array_checks_each_item_against_its_variant() -> None:
    media = [
        {"type": "photo", "media": "file-1", "caption": "a"},
        {"type": "photo", "media": "file-2", "duration": 3},
    ]
    SPEC.check_call("sendMediaGroup", {"chat_id": 1, "media": media[:1] * 2})
    assert_problem(
        problems_of("sendMediaGroup", {"chat_id": 1, "media": media}),
        "sendMediaGroup.media[1].duration: unknown field (not in InputMediaPhoto)",
    )


def test_union_without_discriminator_reports_the_closest_variant() -> None:
    article = {"type": "article", "id": "1", "title": "T"}
    SPEC.check_call(
        "answerInlineQuery",
        {
            "inline_query_id": "q",
            "results": [{**article, "input_message_content": {"message_text": "x"}}],
        },
    )
    problems = problems_of(
        "answerInlineQuery",
        {
            "inline_query_id": "q",
            "results": [{**article, "input_message_content": {"message": "x"}}],
        },
    )
    assert_problem(problems, "results[0].input_message_content: matches no InputMessageContent")


# --- 3. JSON types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "path", "expected"),
    [
        ("sendMessage", {"chat_id": True, "text": "x"}, "sendMessage.chat_id", "Integer or String"),
        ("sendMessage", {"chat_id": 1.5, "text": "x"}, "sendMessage.chat_id", "Integer or String"),
        ("sendMessage", {"chat_id": 1, "text": 7}, "sendMessage.text", "expected String"),
        ("deleteMessage", {"chat_id": 1, "message_id": True}, "message_id", "expected Integer"),
        ("deleteMessage", {"chat_id": 1, "message_id": "5"}, "message_id", "expected Integer"),
        ("sendMessage", message(disable_notification="true"), "disable_notification", "Boolean"),
        ("sendMessage", message(disable_notification=1), "disable_notification", "Boolean"),
        (
            "sendVenue",
            {"chat_id": 1, "latitude": "59.9", "longitude": 10.7, "title": "t", "address": "a"},
            "sendVenue.latitude",
            "expected Float",
        ),
        ("deleteMessages", {"chat_id": 1, "message_ids": 5}, "message_ids", "Array of Integer"),
        ("deleteMessages", {"chat_id": 1, "message_ids": [1, "2"]}, "message_ids[1]", "Integer"),
        (
            "sendMessage",
            message(reply_markup=[]),
            "sendMessage.reply_markup",
            "InlineKeyboardMarkup",
        ),
    ],
)
def test_wrong_json_type(method: str, params: dict[str, object], path: str, expected: str) -> None:
    assert_problem(problems_of(method, params), f"{path}: expected", expected)


def test_right_json_types_pass() -> None:
    SPEC.check_call("sendMessage", {"chat_id": "@channel", "text": "x"})
    SPEC.check_call("sendMessage", {"chat_id": -1001234567890, "text": "x"})
    SPEC.check_call("sendMessage", message(disable_notification=False))
    # Float accepts an integer.
    SPEC.check_call(
        "sendVenue",
        {"chat_id": 1, "latitude": 60, "longitude": 10.75, "title": "t", "address": "a"},
    )


def test_input_file_accepts_any_string() -> None:
    SPEC.check_call("sendPhoto", {"chat_id": 1, "photo": "attach://photo"})
    SPEC.check_call("sendPhoto", {"chat_id": 1, "photo": "AgACAgIAAxkBAAIBZ2Y"})
    SPEC.check_call("sendDocument", {"chat_id": 1, "document": "https://example.org/a.pdf"})
    assert_problem(
        problems_of("sendPhoto", {"chat_id": 1, "photo": 5}), "sendPhoto.photo: expected"
    )


def test_uploaded_file_satisfies_its_field_and_attach_references_need_a_part() -> None:
    # python-telegram-bot leaves a directly uploaded file out of the parameters.
    assert_problem(problems_of("sendPhoto", {"chat_id": 1}), "sendPhoto.photo: missing")
    SPEC.check_call("sendPhoto", {"chat_id": 1}, uploads=["photo"])
    media = [{"type": "photo", "media": "attach://a"}, {"type": "photo", "media": "attach://b"}]
    SPEC.check_call("sendMediaGroup", {"chat_id": 1, "media": media}, uploads=["a", "b"])
    assert_problem(
        problems_of("sendMediaGroup", {"chat_id": 1, "media": media}, uploads=["a"]),
        'sendMediaGroup.media[1].media: "attach://b" names no uploaded file',
    )


# --- 4. documented limits ----------------------------------------------------------------------


def test_message_text_length() -> None:
    SPEC.check_call("sendMessage", {"chat_id": 1, "text": "x" * 4096})
    assert_problem(
        problems_of("sendMessage", {"chat_id": 1, "text": "x" * 4097}),
        "sendMessage.text: must be 1-4096 characters, got 4097",
    )
    assert_problem(
        problems_of("sendMessage", {"chat_id": 1, "text": ""}),
        "sendMessage.text: must be 1-4096 characters, got 0",
    )


def test_length_counts_characters_not_bytes() -> None:
    SPEC.check_call("sendMessage", {"chat_id": 1, "text": "ø" * 4096})


def test_length_counts_utf16_units_as_telegram_does() -> None:
    SPEC.check_call("sendMessage", {"chat_id": 1, "text": "🎉" * 2048})
    assert_problem(
        problems_of("sendMessage", {"chat_id": 1, "text": "🎉" * 2049}),
        "sendMessage.text: must be 1-4096 characters, got 4098",
    )


def test_html_text_length_is_measured_after_entity_parsing() -> None:
    markup = "<b>" + "x" * 4092 + "</b>&amp;&lt;&gt;&quot;"  # 4096 characters once parsed
    SPEC.check_call("sendMessage", message(text=markup, parse_mode="HTML"))
    # Without a parse mode the tags are text, and count.
    assert_problem(problems_of("sendMessage", message(text=markup)), "got 4118")
    assert_problem(
        problems_of("sendMessage", message(text="<i>" + "x" * 4097 + "</i>", parse_mode="HTML")),
        "sendMessage.text: must be 1-4096 characters after entity parsing, got 4097",
    )


def test_text_that_is_empty_after_parsing_is_refused() -> None:
    for method, params in [
        ("sendMessage", message(text="<b></b>", parse_mode="HTML")),
        (
            "editMessageText",
            {"chat_id": 1, "message_id": 2, "text": "<i></i>", "parse_mode": "HTML"},
        ),
    ]:
        assert_problem(problems_of(method, params), f"{method}.text: must be 1-4096", "got 0")
    assert_problem(
        problems_of("sendMessage", message(text="<b> \n </b>", parse_mode="HTML")),
        "sendMessage.text: text is empty after entity parsing",
    )
    assert_problem(
        problems_of("sendMessage", message(text="   ")), "sendMessage.text: text is empty"
    )


def test_caption_length() -> None:
    SPEC.check_call("sendPhoto", {"chat_id": 1, "photo": "id", "caption": "x" * 1024})
    SPEC.check_call("sendPhoto", {"chat_id": 1, "photo": "id", "caption": ""})
    for method, file_field in [("sendPhoto", "photo"), ("sendDocument", "document"),
                               ("sendVoice", "voice")]:  # fmt: skip
        assert_problem(
            problems_of(method, {"chat_id": 1, file_field: "id", "caption": "x" * 1025}),
            f"{method}.caption: must be 0-1024 characters, got 1025",
        )
    assert_problem(
        problems_of("copyMessage", {"chat_id": 1, "from_chat_id": 2, "message_id": 3,
                                    "caption": "<b>" + "x" * 1025 + "</b>", "parse_mode": "HTML"}),
        "copyMessage.caption: must be 0-1024 characters after entity parsing, got 1025",
    )  # fmt: skip


def test_callback_data_is_limited_in_utf8_bytes() -> None:
    arabic = "ب" * 32  # 2 bytes per letter in UTF-8: 64 bytes
    SPEC.check_call(
        "sendMessage", message(reply_markup=keyboard({"text": "a", "callback_data": arabic}))
    )
    problems = problems_of(
        "sendMessage",
        message(
            reply_markup=keyboard(
                {"text": "a", "callback_data": "x"}, {"text": "b", "callback_data": arabic + "ب"}
            )
        ),
    )
    assert_problem(
        problems,
        "sendMessage.reply_markup.inline_keyboard[0][1].callback_data: must be 1-64 bytes, got 66",
    )
    assert_problem(
        problems_of(
            "sendMessage", message(reply_markup=keyboard({"text": "a", "callback_data": ""}))
        ),
        "callback_data: must be 1-64 bytes, got 0",
    )


def test_answer_callback_query_text() -> None:
    SPEC.check_call("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 200})
    SPEC.check_call("answerCallbackQuery", {"callback_query_id": "1"})
    assert_problem(
        problems_of("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201}),
        "answerCallbackQuery.text: must be 0-200 characters, got 201",
    )


@pytest.mark.parametrize("command", ["Start", "my-command", "", "x" * 33, "hjelp!", "møte"])
def test_bot_command_name_must_match_telegrams_pattern(command: str) -> None:
    problems = problems_of(
        "setMyCommands", {"commands": [{"command": command, "description": "d"}]}
    )
    assert_problem(problems, "setMyCommands.commands[0].command: must be")


def test_bot_commands_within_limits_pass() -> None:
    commands = [{"command": f"cmd_{i}", "description": "d" * 256} for i in range(100)]
    commands[0]["command"] = "x" * 32
    SPEC.check_call("setMyCommands", {"commands": commands})


def test_at_most_100_commands() -> None:
    commands = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    assert_problem(
        problems_of("setMyCommands", {"commands": commands}),
        "setMyCommands.commands: must have at most 100 items, got 101",
    )


def test_bot_command_description_length() -> None:
    assert_problem(
        problems_of("setMyCommands", {"commands": [{"command": "a", "description": "d" * 257}]}),
        "setMyCommands.commands[0].description: must be 1-256 characters, got 257",
    )


@pytest.mark.parametrize("code", ["", "nb", "en", "ar"])
def test_language_code_accepts_empty_or_two_lowercase_letters(code: str) -> None:
    SPEC.check_call("setMyCommands", {"commands": [], "language_code": code})
    SPEC.check_call("deleteMyCommands", {"language_code": code})


@pytest.mark.parametrize("code", ["EN", "eng", "nb-NO", "n"])
def test_language_code_rejects_anything_else(code: str) -> None:
    assert_problem(
        problems_of("setMyCommands", {"commands": [], "language_code": code}),
        "setMyCommands.language_code: must be empty or a two-letter lowercase",
    )


def test_get_updates_limit() -> None:
    SPEC.check_call("getUpdates", {"limit": 1, "timeout": 10, "offset": -1})
    SPEC.check_call("getUpdates", {"limit": 100})
    for limit in (0, 101):
        assert_problem(
            problems_of("getUpdates", {"limit": limit}),
            f"getUpdates.limit: must be between 1 and 100, got {limit}",
        )


def test_delete_messages_count() -> None:
    SPEC.check_call("deleteMessages", {"chat_id": 1, "message_ids": list(range(1, 101))})
    assert_problem(
        problems_of("deleteMessages", {"chat_id": 1, "message_ids": list(range(1, 102))}),
        "deleteMessages.message_ids: must have 1-100 items, got 101",
    )
    assert_problem(
        problems_of("deleteMessages", {"chat_id": 1, "message_ids": []}),
        "deleteMessages.message_ids: must have 1-100 items, got 0",
    )


def test_media_group_needs_two_to_ten_items() -> None:
    photo = {"type": "photo", "media": "id"}
    SPEC.check_call("sendMediaGroup", {"chat_id": 1, "media": [photo] * 10})
    assert_problem(
        problems_of("sendMediaGroup", {"chat_id": 1, "media": [photo]}),
        "sendMediaGroup.media: must have 2-10 items, got 1",
    )


def test_location_ranges_with_must_be_between() -> None:
    base = {"chat_id": 1, "latitude": 59.9, "longitude": 10.7}
    SPEC.check_call("sendLocation", {**base, "heading": 360, "horizontal_accuracy": 1500})
    assert_problem(
        problems_of("sendLocation", {**base, "heading": 361}), "must be between 1 and 360"
    )
    assert_problem(
        problems_of("sendLocation", {**base, "horizontal_accuracy": 1500.5}),
        "sendLocation.horizontal_accuracy: must be between 0 and 1500",
    )


def test_documented_choices() -> None:
    button = {"text": "a", "callback_data": "a", "style": "danger"}
    SPEC.check_call("sendMessage", message(reply_markup=keyboard(button)))
    assert_problem(
        problems_of("sendMessage", message(reply_markup=keyboard({**button, "style": "red"}))),
        'inline_keyboard[0][0].style: must be one of "danger", "success", "primary"',
    )
    assert_problem(
        problems_of("sendDice", {"chat_id": 1, "emoji": "🎱"}), "sendDice.emoji: must be one of"
    )


def test_discriminator_constant_is_enforced_on_plain_object_types() -> None:
    # sendMediaGroup's media is "Array of InputMediaPhoto" etc., not a union.
    media = [{"type": "photo", "media": "a"}, {"type": "video", "media": "b"}]
    assert_problem(
        problems_of("sendMediaGroup", {"chat_id": 1, "media": media}),
        'sendMediaGroup.media[1].type: must be "photo" in InputMediaPhoto',
    )


# --- 5. HTML parse mode ------------------------------------------------------------------------


VALID_HTML = (
    "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins> <s>s</s> "
    '<strike>s</strike> <del>d</del> <span class="tg-spoiler">x</span> <tg-spoiler>x</tg-spoiler> '
    '<a href="https://example.org/?a=1&b=2">link</a> <a href="tg://user?id=1">user</a> '
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> '
    '<tg-time unix="1647531900" format="wDT">tomorrow</tg-time> '
    '<code>c</code> <pre>p</pre> <pre><code class="language-python">x = 1</code></pre> '
    "<blockquote>q</blockquote> <blockquote expandable>q</blockquote> "
    "<B>upper-case tags</B> <b>nested <i>italic <u>underline</u></i></b> "
    "&lt; &gt; &amp; &quot; &#65; &#x1F600; 5 &lt; 6"
)


@pytest.mark.parametrize("parse_mode", ["HTML", "html", "Html"])
def test_valid_html_passes(parse_mode: str) -> None:
    SPEC.check_call("sendMessage", message(text=VALID_HTML, parse_mode=parse_mode))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("line<br>break", 'Unsupported start tag "br"'),
        ("<p>paragraph</p>", 'Unsupported start tag "p"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>crossed</b></i>", 'Unmatched end tag at offset 13, expected "</i>", found "</b>"'),
        ("stray</b>", "Unexpected end tag"),
        ("a < b", 'Unsupported start tag ""'),
        ("1 <2", "Unclosed start tag at offset 2"),
        ("x <2 y", 'Unsupported start tag "2"'),
        ("<b", "Unclosed start tag"),
        ('<a href="x>link</a>', "Unclosed start tag"),
        ("a > b", "'>' at offset 2 is not part of a tag; escape it as &gt;"),
        ("fish & chips", "'&' at offset 5"),
        ("&nbsp;", "does not start a supported HTML entity"),
        ("&amp without semicolon", "does not start a supported HTML entity"),
        ("&#0;", "does not start a supported HTML entity"),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" needs a valid custom emoji identifier'),
        ('<tg-time unix="x">t</tg-time>', 'Tag "tg-time" needs a Unix time'),
        ('<tg-time unix="1" format="rt">t</tg-time>', "format"),
        ("<b class>x</b>", "Expected equal sign"),
    ],
)
def test_invalid_html_is_refused(text: str, expected: str) -> None:
    problems = problems_of("sendMessage", message(text=text, parse_mode="HTML"))
    assert_problem(problems, "sendMessage.text: can't parse entities", expected)


def test_html_is_not_checked_without_html_parse_mode() -> None:
    SPEC.check_call("sendMessage", message(text="a < b & <br>"))
    SPEC.check_call("sendMessage", message(text="a < b & <br>", parse_mode="MarkdownV2"))


def test_unsupported_parse_mode() -> None:
    assert_problem(
        problems_of("sendMessage", message(parse_mode="htm")),
        "sendMessage.parse_mode: unsupported parse_mode 'htm'",
    )


def test_html_caption_and_nested_captions_are_checked() -> None:
    assert_problem(
        problems_of(
            "sendPhoto", {"chat_id": 1, "photo": "id", "caption": "<br>", "parse_mode": "HTML"}
        ),
        "sendPhoto.caption: can't parse entities",
    )
    media = [
        {"type": "photo", "media": "a", "caption": "<b>ok</b>", "parse_mode": "HTML"},
        {"type": "photo", "media": "b", "caption": "1 < 2", "parse_mode": "HTML"},
    ]
    assert_problem(
        problems_of("sendMediaGroup", {"chat_id": 1, "media": media}),
        "sendMediaGroup.media[1].caption: can't parse entities",
    )
    assert_problem(
        problems_of(
            "editMessageText", {"chat_id": 1, "message_id": 2, "text": "<x>", "parse_mode": "HTML"}
        ),
        "editMessageText.text: can't parse entities",
    )


def test_html_in_quote_uses_its_own_parse_mode_field() -> None:
    reply = {"message_id": 1, "quote": "a < b", "quote_parse_mode": "HTML"}
    assert_problem(
        problems_of("sendMessage", message(reply_parameters=reply)),
        "sendMessage.reply_parameters.quote: can't parse entities",
    )
    # parse_mode of the message itself does not apply to the quote.
    SPEC.check_call(
        "sendMessage",
        message(parse_mode="HTML", reply_parameters={"message_id": 1, "quote": "a < b"}),
    )


# --- 6. inline keyboard buttons ----------------------------------------------------------------


def test_inline_button_without_an_action_is_refused() -> None:
    problems = problems_of("sendMessage", message(reply_markup=keyboard({"text": "label only"})))
    assert_problem(
        problems,
        "sendMessage.reply_markup.inline_keyboard[0][0]: InlineKeyboardButton must use exactly",
        "callback_data",
        "(got none)",
    )


def test_inline_button_with_two_actions_is_refused() -> None:
    button = {"text": "a", "callback_data": "a", "url": "https://example.org"}
    assert_problem(
        problems_of("sendMessage", message(reply_markup=keyboard(button))),
        "must use exactly one of",
        "(got url, callback_data)",
    )


def test_inline_button_actions_that_may_be_empty_or_styled() -> None:
    # style and icon_custom_emoji_id are not actions; an empty switch_inline_query is allowed.
    buttons = (
        {"text": "a", "switch_inline_query": ""},
        {"text": "b", "callback_data": "b", "style": "primary", "icon_custom_emoji_id": "1"},
        {"text": "c", "copy_text": {"text": "copied"}},
    )
    SPEC.check_call("sendMessage", message(reply_markup=keyboard(*buttons)))


def test_reply_keyboard_accepts_plain_string_buttons() -> None:
    # "For simple text buttons, String can be used instead of this object"
    markup = {"keyboard": [["Ja", {"text": "Nei"}]], "resize_keyboard": True}
    SPEC.check_call("sendMessage", message(reply_markup=markup))
    assert_problem(
        problems_of("sendMessage", message(reply_markup={"keyboard": [[5]]})),
        "sendMessage.reply_markup.keyboard[0][0]: expected KeyboardButton",
    )


# --- decode_form -------------------------------------------------------------------------------


def test_decode_form_uses_the_field_types() -> None:
    form = {
        "chat_id": "42",
        "text": "123",  # String only: stays a str even though it is valid JSON
        "disable_notification": "true",
        "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "1"}]]}',
    }
    assert SPEC.decode_form("sendMessage", form) == {
        "chat_id": 42,
        "text": "123",
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "1"}]]},
    }


def test_decode_form_falls_back_to_the_raw_string() -> None:
    assert SPEC.decode_form("sendMessage", {"chat_id": "@channel", "text": "x"}) == {
        "chat_id": "@channel",
        "text": "x",
    }
    # InputFile-or-String fields are strings on the wire and are never JSON-decoded.
    assert SPEC.decode_form("sendPhoto", {"chat_id": "1", "photo": "12345"}) == {
        "chat_id": 1,
        "photo": "12345",
    }
    # Non-JSON text in a non-string field is kept, for check_call to report.
    decoded = SPEC.decode_form("deleteMessage", {"chat_id": "1", "message_id": "abc"})
    assert decoded == {"chat_id": 1, "message_id": "abc"}
    assert_problem(
        problems_of("deleteMessage", decoded), "deleteMessage.message_id: expected Integer"
    )


def test_decode_form_unknown_method() -> None:
    with pytest.raises(SpecViolation, match="unknown Bot API method"):
        SPEC.decode_form("sendNothing", {})


# --- what python-telegram-bot really sends -----------------------------------------------------

_USER = {"id": 7, "is_bot": True, "first_name": "Bot", "username": "test_bot"}
_MESSAGE = {"message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "x"}
_RESULTS: dict[str, object] = {
    "getMe": _USER,
    "sendMessage": _MESSAGE,
    "editMessageText": _MESSAGE,
    "sendPhoto": _MESSAGE,
    "sendMediaGroup": [_MESSAGE, _MESSAGE],
    "getUpdates": [],
}


class RecordingRequest(BaseRequest):
    """A BaseRequest that records each call and answers like a successful Bot API."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, RequestData]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: object
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        self.calls.append((endpoint, request_data or RequestData()))
        body = {"ok": True, "result": _RESULTS.get(endpoint, True)}
        return 200, json.dumps(body).encode()


def record_calls(action: Callable[[Bot], object]) -> list[tuple[str, RequestData]]:
    """Run ``action`` against a Bot whose requests are recorded; return the calls after getMe."""
    request = RecordingRequest()

    async def run() -> None:
        async with Bot("123456:TEST-token", request=request, get_updates_request=request) as bot:
            await action(bot)  # type: ignore[misc]

    asyncio.run(run())
    assert request.calls[0][0] == "getMe"
    return request.calls[1:]


def check_recorded(calls: list[tuple[str, RequestData]]) -> None:
    for endpoint, data in calls:
        SPEC.check_call(endpoint, data.parameters, uploads=data.multipart_data.keys())
        assert SPEC.decode_form(endpoint, data.json_parameters) == data.parameters


def test_ptb_send_message_with_inline_keyboard_passes() -> None:
    async def action(bot: Bot) -> None:
        await bot.send_message(
            chat_id=42,
            text="<b>Møte</b> i morgen &amp; <i>velkommen</i>",
            parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("Ja", callback_data="rsvp:yes"),
                     InlineKeyboardButton("Nei", callback_data="rsvp:no")],
                    [InlineKeyboardButton("Nettside", url="https://example.org")],
                ]
            ),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=ReplyParameters(message_id=3),
        )  # fmt: skip

    calls = record_calls(action)
    assert [endpoint for endpoint, _ in calls] == ["sendMessage"]
    assert isinstance(calls[0][1].parameters["reply_markup"], dict)
    check_recorded(calls)


def test_ptb_set_my_commands_with_chat_scope_passes() -> None:
    async def action(bot: Bot) -> None:
        await bot.set_my_commands(
            [BotCommand("start", "Start"), BotCommand("hjelp", "Hjelp og kontakt")],
            scope=BotCommandScopeChat(chat_id=42),
            language_code="nb",
        )
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=42))

    calls = record_calls(action)
    assert calls[0][1].parameters["scope"] == {"type": "chat", "chat_id": 42}
    check_recorded(calls)


def test_ptb_other_common_calls_pass() -> None:
    async def action(bot: Bot) -> None:
        await bot.edit_message_text("Oppdatert", chat_id=42, message_id=5)
        await bot.answer_callback_query("cq-1", text="Takk!")
        await bot.delete_message(42, 5)
        await bot.delete_messages(42, [5, 6])
        await bot.send_chat_action(42, "typing")
        await bot.get_updates(offset=10, limit=100, timeout=0, allowed_updates=["message"])
        await bot.send_photo(42, photo=b"\x89PNG fake", caption="<b>Bilde</b>", parse_mode="HTML")
        await bot.send_media_group(42, [InputMediaPhoto(b"one"), InputMediaPhoto(b"two")])

    calls = record_calls(action)
    photo = dict(calls)["sendPhoto"]
    assert "photo" not in photo.parameters  # the upload travels as a multipart part instead
    check_recorded(calls)


def test_ptb_does_not_validate_what_telegram_refuses() -> None:
    async def action(bot: Bot) -> None:
        await bot.send_message(
            42,
            "Velg",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", callback_data="ب" * 33)]]
            ),
        )
        await bot.set_my_commands([BotCommand("Start", "Start")])

    (_, send), (_, commands) = record_calls(action)
    assert_problem(
        problems_of("sendMessage", send.parameters),
        "sendMessage.reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 66",
    )
    assert_problem(
        problems_of("setMyCommands", commands.parameters), "setMyCommands.commands[0].command"
    )
