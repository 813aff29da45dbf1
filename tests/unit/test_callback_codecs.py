"""Callback codecs: every button we build reaches exactly one handler, parses back to what was
built, and fits Telegram's 64 bytes; data we never build reaches no feature at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from telegram.ext import Application, CallbackContext, CallbackQueryHandler

from bot.app import register_handlers
from bot.core.actions import ActionRef, Verb
from bot.core.content import Platform
from bot.telegram.callbacks import actions as action_data
from bot.telegram.callbacks import card, daily, discreet, learn, menu, privacy, quiz, tips
from bot.telegram.callbacks import checkup as checkup_data
from bot.telegram.callbacks.card import Switch
from bot.telegram.callbacks.codec import checked, full
from bot.telegram.callbacks.daily import DailyAction
from bot.telegram.callbacks.privacy import ForgetChoice
from bot.telegram.handlers import actions as action_handlers
from bot.telegram.handlers import card as card_handlers
from bot.telegram.handlers import checkup as checkup_handlers
from bot.telegram.handlers import daily_tip_buttons
from bot.telegram.handlers import discreet as discreet_handlers
from bot.telegram.handlers import learn as learn_handlers
from bot.telegram.handlers import privacy as privacy_handlers
from bot.telegram.handlers import progress as progress_handlers
from bot.telegram.handlers import quiz as quiz_handlers
from bot.telegram.handlers import tips as tips_handlers

Handler = Callable[..., Any]


@pytest.fixture(scope="module")
def application() -> Application[Any, Any, Any, Any, Any, Any]:
    """An Application with every handler registered; never started, so it needs no network."""
    app = Application.builder().token("123:unused").updater(None).build()
    register_handlers(app)
    return app


@pytest.fixture(scope="module")
def button_handlers(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> list[CallbackQueryHandler[Any, Any]]:
    """Every feature's callback handler, without the pattern-less catch-all."""
    found = [
        h
        for h in application.handlers[0]
        if isinstance(h, CallbackQueryHandler) and h.pattern is not None
    ]
    assert found
    return found


# What we build -> the handler that must receive it.
BUILT: list[tuple[str, Handler]] = [
    (menu.LEARN, learn_handlers.topics),
    (menu.PROGRESS, progress_handlers.show_progress),
    (learn.open_topic("cctv"), learn_handlers.open_topic_button),
    (learn.turn_page("cctv", 0), learn_handlers.page_button),
    (learn.turn_page("cctv", 12), learn_handlers.page_button),
    (learn.sources("cctv"), learn_handlers.sources_button),
    (quiz.start(), quiz_handlers.quiz_button),
    (quiz.start("cctv"), quiz_handlers.quiz_button),
    (quiz.REVIEW, quiz_handlers.review),
    (quiz.retry(1), quiz_handlers.retry_button),
    (quiz.retry(10**17), quiz_handlers.retry_button),
    (tips.NEXT, tips_handlers.tip_button),
    (privacy.forget(ForgetChoice.DELETE), privacy_handlers.confirm),
    (privacy.forget(ForgetChoice.KEEP), privacy_handlers.confirm),
    (daily.send_time(time(0, 0)), daily_tip_buttons.time_button),
    (daily.send_time(time(23, 59)), daily_tip_buttons.time_button),
    (daily.zone("America/Argentina/Buenos_Aires"), daily_tip_buttons.zone_button),
    (daily.zone("Etc/GMT+5"), daily_tip_buttons.zone_button),
    (daily.zone("keeps"), daily_tip_buttons.zone_button),
    (daily.KEEP_ZONE, daily_tip_buttons.keep_zone_button),
    (card.SHOW, card_handlers.show_card),
    (card.weekly(Switch.ON), card_handlers.weekly_button),
    (card.weekly(Switch.OFF), card_handlers.weekly_button),
    (discreet.MENU, discreet_handlers.menu_button),
    (discreet.set_to(Switch.ON), discreet_handlers.set_button),
    (discreet.set_to(Switch.OFF), discreet_handlers.set_button),
    (discreet.delete_after(None), discreet_handlers.delete_button),
    (discreet.delete_after(1), discreet_handlers.delete_button),
    (discreet.delete_after(24), discreet_handlers.delete_button),
    (checkup_data.OPEN, checkup_handlers.checkup_command),
    (checkup_data.CHANGE, checkup_handlers.change_button),
    (checkup_data.next_day(1), checkup_handlers.next_button),
    (checkup_data.next_day(30), checkup_handlers.next_button),
] + [(daily.action(a), daily_tip_buttons.action_button) for a in DailyAction]
BUILT += [
    (checkup_data.platform(p), checkup_handlers.platform_button) for p in Platform if p != "any"
]
BUILT += [
    (checkup_data.checklist_for(p), checkup_handlers.checklist_button)
    for p in Platform
    if p != "any"
]
BUILT += [
    (action_data.action(verb, ref), action_handlers.action_button)
    for verb in Verb
    for ref in (ActionRef.of_tip("cctv-tip01"), ActionRef.of_checkup("x" * 32))
]

# Prefixes match a feature, the rest does not: none of these may reach a feature's handler.
FORGED = [
    "ck:p:any",
    "ck:p:",
    "ck:n:0",
    "ck:n:100",
    "ck:n:1:x",
    "ck:l:windows",
    "ck:open:x",
    "act:done:x:cctv-tip01",
    "act:later:t:cctv-tip01",
    "act:done:t:",
    "act:done:t:CCTV",
    "act:done:t:cctv-tip01\n",
    "act:done:c:" + "x" * 33,
    "learn:ZZZ",
    "learn:CCTV:0",
    "learn:cctv:01",
    "learn:cctv:100",
    "learn:cctv:-1",
    "learn:",
    "learn:cctv:1:2",
    "src:cctv:0",
    "quiz:start:",
    "quiz:start:cctv:extra",
    "quiz:stop",
    "review:start:cctv",
    "quiz:retry:",
    "quiz:retry:0",
    "quiz:retry:012",
    "quiz:retry:-1",
    "quiz:retry:abc",
    "quiz:retry:1" + "0" * 18,
    "quiz:retry:7\n",
    "menu:learn:x",
    "tip:next:again",
    "tip:bogus",
    "forget:maybe",
    "forget:",
    "sub:t:2599",
    "sub:t:2400",
    "sub:t:0860",
    "sub:t:830",
    "sub:z:../../x",
    "sub:z:/etc",
    "sub:z:",
    "sub:explode",
    "sub:menu:x",
    "sub:keep",
    "sub:z:" + "A" * 64,  # 70 bytes: Telegram would never send it
    "learn:" + "a" * 64,
    # `$` would accept these: it also matches before a final newline.
    "tip:next\n",
    "sub:z:keep\n",
    "learn:cctv\n",
    "forget:yes\n",
    "card:show\n",
    "card:show:now",
    "card:weekly:maybe",
    "card:weekly:",
    "dsc:set:yes",
    "dsc:del:2",
    "dsc:del:48",
    "dsc:del:01",
    "dsc:del:",
    "dsc:menu:x",
]


def handlers_for(data: str, handlers: list[CallbackQueryHandler[Any, Any]]) -> list[Handler]:
    """The handlers PTB would pick from (it calls `re.match(pattern, data)`)."""
    return [
        h.callback for h in handlers if isinstance(h.pattern, re.Pattern) and h.pattern.match(data)
    ]


@pytest.mark.parametrize(("data", "handler"), BUILT, ids=[d for d, _ in BUILT])
def test_built_data_reaches_exactly_its_handler(
    data: str, handler: Handler, button_handlers: list[CallbackQueryHandler[Any, Any]]
) -> None:
    assert handlers_for(data, button_handlers) == [handler]
    assert 1 <= len(data.encode()) <= 64


@pytest.mark.parametrize("data", FORGED, ids=repr)
def test_forged_data_reaches_no_feature(
    data: str, button_handlers: list[CallbackQueryHandler[Any, Any]]
) -> None:
    assert handlers_for(data, button_handlers) == []


def test_every_feature_pattern_is_compiled_and_anchored_in_full(
    button_handlers: list[CallbackQueryHandler[Any, Any]],
) -> None:
    for handler in button_handlers:
        assert isinstance(handler.pattern, re.Pattern), handler.callback
        assert handler.pattern.pattern.startswith("^"), handler.pattern
        assert handler.pattern.pattern.endswith(r"\Z"), handler.pattern


def test_the_catch_all_comes_last(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    last = application.handlers[0][-1]
    assert isinstance(last, CallbackQueryHandler)
    assert last.pattern is None


@pytest.mark.parametrize(
    "build",
    [
        lambda: learn.open_topic("x" * 60),  # over 64 bytes
        lambda: daily.zone("Europe/" + "A" * 60),  # over 64 bytes
        lambda: learn.open_topic("CCTV"),  # our handler would call it stale
        lambda: learn.turn_page("cctv", 100),
        lambda: learn.turn_page("cctv", -1),
        lambda: quiz.start("no spaces"),
        lambda: daily.zone("../../etc"),
        lambda: daily.zone("keep"),  # that is KEEP_ZONE, its own kind
    ],
)
def test_data_we_must_not_send_raises_at_build_time(build: Callable[[], str]) -> None:
    with pytest.raises(ValueError, match="callback data"):
        build()


def context_for(
    application: Application[Any, Any, Any, Any, Any, Any], pattern: re.Pattern[str], data: str
) -> CallbackContext[Any, Any, Any, Any]:
    """What PTB hands a handler registered with `pattern` for a press carrying `data`."""
    context: CallbackContext[Any, Any, Any, Any] = CallbackContext(application)
    match = pattern.match(data)
    assert match is not None
    context.matches = [match]
    return context


def test_parse_helpers_give_back_what_was_built(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    def ctx(pattern: re.Pattern[str], data: str) -> CallbackContext[Any, Any, Any, Any]:
        return context_for(application, pattern, data)

    assert learn.opened_topic(ctx(learn.OPEN_PATTERN, learn.open_topic("face-search"))) == (
        "face-search"
    )
    assert learn.turned_page(ctx(learn.PAGE_PATTERN, learn.turn_page("cctv", 7))) == (
        learn.PageTurn("cctv", 7)
    )
    assert learn.sources_topic(ctx(learn.SOURCES_PATTERN, learn.sources("cctv"))) == "cctv"
    assert quiz.start_topic(ctx(quiz.START_PATTERN, quiz.start())) is None
    assert quiz.start_topic(ctx(quiz.START_PATTERN, quiz.start("cctv"))) == "cctv"
    for choice in ForgetChoice:
        forget = ctx(privacy.FORGET_PATTERN, privacy.forget(choice))
        assert privacy.forget_choice(forget) is choice
    for action in DailyAction:
        assert daily.action_of(ctx(daily.ACTION_PATTERN, daily.action(action))) is action
    for value in (time(0, 0), time(7, 45), time(23, 59)):
        assert daily.time_of(ctx(daily.TIME_PATTERN, daily.send_time(value))) == value
    zone = "America/Sao_Paulo"
    assert daily.zone_of(ctx(daily.ZONE_PATTERN, daily.zone(zone))) == zone


def test_parse_helpers_refuse_a_handler_registered_without_a_pattern(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    with pytest.raises(LookupError):
        learn.opened_topic(CallbackContext(application))


def test_every_daily_action_has_a_handler() -> None:
    assert set(daily_tip_buttons.ACTION_HANDLERS) == set(DailyAction)


@pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])  # "é" * 33: 33 chars, 66 bytes
def test_telegram_limit_is_checked_in_bytes_whatever_the_pattern(data: str) -> None:
    with pytest.raises(ValueError, match="1-64 bytes"):
        checked(data, full(".*"))


def test_64_bytes_is_still_allowed() -> None:
    assert checked("é" * 32, full(".*")) == "é" * 32
