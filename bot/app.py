"""Build the python-telegram-bot Application and register every handler, in order, in one place.

`bydelsbot run`, `bydelsbot demo` and the tests all build the bot here; only the transport under
the Bot object differs (HTTP to Telegram, the terminal, a test fake).
"""

from __future__ import annotations

import gc
from datetime import UTC, datetime, time
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Config
from bot.dropin import buttons as dropin_buttons
from bot.rate_limit import Limits, RatePlan
from bot.review.flow import refresh_live
from handlers.announcements import broadcast_waiting, broadcasts, history
from handlers.announcements import codecs as announcement_codecs
from handlers.announcements.outbox import OutboxWorker, announcements_purge_job, purge_announcements
from handlers.common import awaiting, errors, fallback, guard, help_flow, menu
from handlers.common.catalogue import CATALOGUE_KEY
from handlers.common.commands import publish_command_menus
from handlers.common.context import SERVICES_KEY, BotContext, Services
from handlers.common.identity import load_identity_callback
from handlers.common.language import LANGUAGE
from handlers.common.transport import BydelsBot
from handlers.course import attendance as course_attendance
from handlers.course import capacity as course_capacity
from handlers.course import catchup as course_catchup
from handlers.course import codecs as course
from handlers.course import cohorts as course_cohorts
from handlers.course import completion as course_completion
from handlers.course import entry as course_entry
from handlers.course import evening_changes as course_evening_changes
from handlers.course import evenings as course_evenings
from handlers.course import interest as course_interest
from handlers.course import offers as course_offers
from handlers.course import progress as course_progress
from handlers.course import roster as course_roster
from handlers.course import typed as course_typed
from handlers.course import waiting_list as course_waiting
from handlers.delivery.rate_limiter import PlanLimiter, Turns
from handlers.dropin import coordinate as dropin_coordinate
from handlers.dropin import reach as dropin_reach
from handlers.dropin import report as dropin_report
from handlers.dropin import rota as dropin_rota
from handlers.dropin import sessions as dropin_sessions
from handlers.dropin import women as dropin_women
from handlers.help import codecs as help_codecs
from handlers.help import (
    confirm_facts,
    contact_handling,
    contact_requests,
    help,
    help_guide,
    stats,
    voice_notes,
)
from handlers.jobs.course import start_course
from handlers.jobs.dropin import start_dropin
from handlers.jobs.help import contact_requests_purge_job, purge_contact_requests
from handlers.jobs.meetings import start_meetings
from handlers.meetings import codecs as meeting_codecs
from handlers.meetings import meeting_admin, meeting_rule, meeting_when, meetings, phase
from handlers.people import codecs as people_codecs
from handlers.people import group_chat, invites, members, onboarding, privacy, profile
from handlers.review import rights as review_rights
from handlers.review import session as review
from handlers.review.codec import REVIEW_PATTERN, RIGHTS_PATTERN
from storage import Database

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]

CONFIG_KEY = "config"
TURNS_KEY = "turns"


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    with_updater: bool = True,
    long_running: bool = False,
) -> BotApplication:
    """The whole bot, ready for `run_polling` or for feeding updates by hand (`long_running`:
    the process serves for days, `bydelsbot run`: see settle_heap)."""
    # Every request of the bot waits for its turn under one rate plan
    # (handlers/delivery/rate_limiter.py); the announcement worker and the reminders take their
    # turns from the same Turns.
    turns = Turns(RatePlan(Limits(per_second=config.send_rate)))
    # Our own ExtBot (handlers/common/transport.py), so that an update PTB cannot read is skipped.
    bot = BydelsBot(
        token=config.token,
        base_url=config.api_url,
        base_file_url=config.api_file_url,
        defaults=Defaults(tzinfo=config.tz),
        # As ApplicationBuilder would: many requests at once, one connection for getUpdates.
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=get_updates_request or request or HTTPXRequest(),
        rate_limiter=PlanLimiter(turns),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .post_init(open_services_for_good if long_running else open_services)
        .post_stop(stop_outbox)
        .post_shutdown(close_services)
    )
    if not with_updater:
        builder = builder.updater(None)
    application: BotApplication = builder.build()
    application.bot_data[CONFIG_KEY] = config
    application.bot_data[TURNS_KEY] = turns
    register_handlers(application)
    return application


async def open_services(application: BotApplication) -> None:
    """Open the database and publish the localized command menus before the first update."""
    config: Config = application.bot_data[CONFIG_KEY]
    db = await Database.open(config.db_path)
    # Announcements: the one outbox worker, which first resumes what a previous process left.
    worker = OutboxWorker(application.bot, db, turns=application.bot_data[TURNS_KEY])
    application.bot_data[SERVICES_KEY] = Services(config=config, db=db, outbox=worker)
    await publish_command_menus(application.bot, db)
    # Wordings native reviewers approved in the bot: used at once, also after a restart.
    await refresh_live(db)
    # The help guide: its catalogue is checked once, before the first woman asks; contact
    # requests handled over 30 days ago (or unhandled for 30 days) are deleted now and every night.
    application.bot_data[CATALOGUE_KEY] = await confirm_facts.confirmed_catalogue(db)
    await purge_contact_requests(application.bot, db, datetime.now(UTC))
    if application.job_queue is not None:
        application.job_queue.run_daily(
            contact_requests_purge_job, time(4, 0, tzinfo=config.tz), name="help-guide-purge"
        )
    # Announcements 30 days after their report keep only their counts: now and every night.
    await purge_announcements(db, datetime.now(UTC))
    if application.job_queue is not None:
        application.job_queue.run_daily(
            announcements_purge_job, time(4, 10, tzinfo=config.tz), name="announcements-purge"
        )
    # Typed answers: the questions still open before a restart are asked again, silently.
    questions = application.bot_data[awaiting.KEY]
    assert isinstance(questions, awaiting.Questions)
    await questions.restore(db, datetime.now(UTC))
    # Meetings: plan the rolling horizon, rebuild the reminder wake-ups (PTB keeps no jobs
    # across a restart) and send at once what came due while the bot was down.
    await start_meetings(application)
    # The basic training: offers that lapsed or were never sent, tomorrow's evening reminders,
    # and interest kept too long; then every few minutes.
    await start_course(application)
    # The drop-in: what the last process left half-sent is marked, then what is due goes out
    # (morning reminders, shift reminders, the question after a shift, understaffing alerts).
    await start_dropin(application)
    worker.start()


async def open_services_for_good(application: BotApplication) -> None:
    await open_services(application)
    settle_heap()


def settle_heap() -> None:
    """After start-up: what it built (handlers, catalogues, translators, compiled patterns)
    lives as long as the process, so it is moved out of the garbage collector's way. Otherwise
    every full collection walks all of it again and one update waits for it (65 ms at 10,000
    members in benchmarks/updates.py). Not done in tests: they build many applications in one
    process, and frozen objects are never freed."""
    gc.collect()
    gc.freeze()


async def stop_outbox(application: BotApplication) -> None:
    """Let the announcement in flight finish while the Bot API connection is still open."""
    services = application.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services) and isinstance(services.outbox, OutboxWorker):
        await services.outbox.stop()


async def close_services(application: BotApplication) -> None:
    await stop_outbox(application)
    services = application.bot_data.pop(SERVICES_KEY, None)
    if isinstance(services, Services):
        await services.db.close()


def register_handlers(app: BotApplication) -> None:
    """Every handler of the bot, in the order Telegram updates meet them."""
    private = filters.ChatType.PRIVATE

    # Group -2: load who she is (role, districts, language) once per update, for all that follow.
    app.add_handler(TypeHandler(Update, load_identity_callback), group=-2)
    # Group -1: every button press made in a group chat is refused here unless its pattern is in
    # handlers/guard.GROUP_BUTTONS (default deny), and so is one on a message the bot cannot see.
    app.add_handler(CallbackQueryHandler(guard.button_guard_callback), group=-1)

    # Onboarding: /start (with an optional deep-link parameter), the language picker, /language.
    app.add_handler(CommandHandler("start", onboarding.start_command, filters=private))
    app.add_handler(CommandHandler("language", onboarding.language_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(onboarding.language_chosen_callback, pattern=LANGUAGE.pattern)
    )
    app.add_handler(
        CallbackQueryHandler(onboarding.language_menu_callback, pattern=r"^menu:language$")
    )

    # The menu and what its buttons open.
    app.add_handler(CommandHandler("menu", menu.menu_command, filters=private))
    app.add_handler(CommandHandler("help", help.help_command, filters=private))
    app.add_handler(CallbackQueryHandler(help.help_menu_callback, pattern=r"^menu:help$"))
    app.add_handler(CommandHandler("me", profile.profile_command, filters=private))
    app.add_handler(CallbackQueryHandler(profile.profile_menu_callback, pattern=r"^menu:me$"))

    # Coordinators: invites (and a woman answering one), members, the group's phase.
    app.add_handler(CommandHandler("invite", invites.invite_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(invites.invite_command), pattern=r"^menu:invite$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            invites.invite_district_callback, pattern=people_codecs.INVITE_DISTRICT.pattern
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            invites.invite_role_callback, pattern=people_codecs.INVITE_ROLE.pattern
        )
    )
    for join in (people_codecs.JOIN, people_codecs.JOIN_NO):
        app.add_handler(CallbackQueryHandler(invites.join_callback, pattern=join.pattern))
    app.add_handler(CommandHandler("members", members.members_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(members.members_command), pattern=r"^menu:members$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            members.member_page_callback, pattern=people_codecs.MEMBER_PAGE.pattern
        )
    )
    member_buttons = (
        people_codecs.MEMBER_CARD,
        people_codecs.MEMBER_REMOVE,
        people_codecs.MEMBER_REMOVE_OK,
    )
    for member in member_buttons:
        action = members.member_action_callback
        app.add_handler(CallbackQueryHandler(action, pattern=member.pattern))
    for role in (people_codecs.MEMBER_ROLE, people_codecs.MEMBER_ROLE_OK):
        app.add_handler(CallbackQueryHandler(members.member_role_callback, pattern=role.pattern))
    app.add_handler(CommandHandler("phase", phase.phase_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(menu.opened_from_menu(phase.phase_command), pattern=r"^menu:phase$")
    )
    phases = (meeting_codecs.PHASE_CHOICES, meeting_codecs.PHASE_PICK, meeting_codecs.PHASE_OK)
    for phase_button in phases:
        app.add_handler(CallbackQueryHandler(phase.phase_callback, pattern=phase_button.pattern))

    # Meetings: /meetings and a meeting's card, answers (also inside reminders), calendar files;
    # for coordinators /rsvps, and adding, moving, cancelling, place and note (one typed line).
    app.add_handler(CommandHandler("meetings", meetings.meetings_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(meetings.meetings_command), pattern=r"^menu:meetings$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(meetings.meeting_card_callback, pattern=meeting_codecs.CARD.pattern)
    )
    for answer in (meeting_codecs.RSVP, meeting_codecs.RSVP_ON_REMINDER):
        app.add_handler(CallbackQueryHandler(meetings.rsvp_callback, pattern=answer.pattern))
    for ics in (meeting_codecs.CALENDAR, meeting_codecs.DISTRICT_CALENDAR):
        app.add_handler(CallbackQueryHandler(meetings.calendar_callback, pattern=ics.pattern))
    app.add_handler(CommandHandler("rsvps", meeting_admin.rsvps_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(meeting_admin.answers_callback, pattern=meeting_codecs.ANSWERS.pattern)
    )
    app.add_handler(
        CallbackQueryHandler(
            meeting_admin.district_answers_callback, pattern=meeting_codecs.DISTRICT_ANSWERS.pattern
        )
    )
    app.add_handler(CallbackQueryHandler(meeting_admin.cancel_callback, pattern=r"^mcan(ok)?:"))
    app.add_handler(
        CallbackQueryHandler(meeting_when.when_callback, pattern=r"^(mmv|madd)(ok|x)?:")
    )
    app.add_handler(
        CallbackQueryHandler(meeting_admin.note_start_callback, pattern=meeting_codecs.NOTE.pattern)
    )
    app.add_handler(CallbackQueryHandler(meeting_when.restore_callback, pattern=r"^mres(ok)?:"))
    # 🔁 Regular meetings: a coordinator sets the group's rule (days off typed: see below).
    app.add_handler(CallbackQueryHandler(meeting_rule.rule_callback, pattern=r"^rr:"))

    # Announcements: /broadcast composes one (the draft lives in the database), /broadcasts lists
    # them with their reports. What she types while composing is a typed answer (see below).
    app.add_handler(CommandHandler("broadcast", broadcasts.broadcast_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(broadcasts.broadcast_command), pattern=r"^menu:broadcast$"
        )
    )
    app.add_handler(CallbackQueryHandler(broadcasts.broadcast_callback, pattern=r"^bc:"))
    # /broadcasts: what is waiting to be sent (▶️ now, 🕒 another time, ❌ cancel), then the history.
    app.add_handler(
        CommandHandler("broadcasts", broadcast_waiting.waiting_first_command, filters=private)
    )
    app.add_handler(
        CallbackQueryHandler(
            history.history_callback, pattern=announcement_codecs.HISTORY_PAGE.pattern
        )
    )
    for waiting in (announcement_codecs.WAITING, announcement_codecs.WAITING_ACTION):
        app.add_handler(
            CallbackQueryHandler(broadcast_waiting.waiting_callback, pattern=waiting.pattern)
        )

    # The basic training: /course for each kind of woman; "I want to become a bydelsmor" (also
    # the poster's deep link, see onboarding); offers of a freed place; coordinators' cohorts,
    # admission and waiting list, capacity, progress and the spreadsheet. Each button has its
    # codec in handlers/course/codecs.py; its typed answers are in the one `answers` dict below.
    app.add_handler(CommandHandler("course", course_entry.course_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(course_entry.course_command), pattern=r"^menu:course$"
        )
    )
    course_buttons = (
        (course.CONSENT, course_interest.consent_callback),
        (course.NO_THANKS, course_interest.no_thanks_callback),
        (course.DISTRICT, course_interest.district_callback),
        (course.REACH_ON_TELEGRAM, course_interest.telegram_callback),
        (course.WITHDRAW, course_interest.withdraw_callback),
        (course.WITHDRAW_SURE, course_interest.withdraw_sure_callback),
        (course.KEEP, course_interest.keep_callback),
        (course.ACCEPT, course_offers.offer_answer_callback),
        (course.DECLINE, course_offers.offer_answer_callback),
        (course.NEW_COHORT, course_cohorts.new_cohort_callback),
        (course.NEW_CATCHUP, course_cohorts.new_cohort_callback),
        (course.JOIN_CATCHUP, course_catchup.join_callback),
        (course.COHORT, course_cohorts.cohort_callback),
        (course.CAPACITY_MENU, course_cohorts.capacity_menu_callback),
        (course.CAPACITY, course_cohorts.capacity_callback),
        (course.CAPACITY_TYPED, course_capacity.typed_capacity_callback),
        (course.INTERESTED, course_roster.interested_callback),
        (course.INTERESTED_PAGE, course_roster.interested_callback),
        (course.ADMIT_LIST, course_roster.admit_list_callback),
        (course.ADMIT_PAGE, course_roster.admit_list_callback),
        (course.ADMIT, course_roster.admit_callback),
        (course.PLACES, course_waiting.places_callback),
        (course.PLACES_PAGE, course_waiting.places_callback),
        (course.PLACE_CARD, course_waiting.place_card_callback),
        (course.PLACE_ACTION, course_waiting.place_action_callback),
        (course.OFFER_AGAIN, course_waiting.offer_again_callback),
        (course.PROGRESS, course_progress.cohort_progress_callback),
        (course.CSV_FILE, course_progress.csv_callback),
        (course.EVENINGS, course_evenings.evenings_callback),
        (course.ADD_EVENING, course_evenings.add_evening_callback),
        (course.EVENING_MODULE, course_evenings.module_callback),
        (course.EVENING_LENGTH, course_evenings.length_callback),
        (course.EVENING_PLACE, course_evenings.place_callback),
        (course.EVENING_SAVE, course_evenings.save_callback),
        (course.EVENING, course_evenings.evening_callback),
        (course.MOVE_EVENING, course_evening_changes.move_callback),
        (course.RENAME_EVENING, course_evening_changes.rename_callback),
        (course.MOVE_EVENING_SURE, course_evening_changes.move_sure_callback),
        (course.CANCEL_EVENING, course_evening_changes.cancel_callback),
        (course.CANCEL_EVENING_SURE, course_evening_changes.cancel_sure_callback),
        (course.ATTENDANCE, course_attendance.attendance_callback),
        (course.PRESENT, course_attendance.present_callback),
        (course.COMING, course_attendance.reminder_answer_callback),
        (course.NOT_COMING, course_attendance.reminder_answer_callback),
        (course.COMPLETE, course_completion.complete_callback),
        (course.COMPLETE_SURE, course_completion.complete_sure_callback),
        (course.CARDS, course_completion.cards_callback),
        (course.WITHDRAW_CARD, course_completion.withdraw_card_callback),
        (course.WITHDRAW_CARD_SURE, course_completion.withdraw_card_callback),
        (course.SEND_AGAIN, course_completion.send_again_callback),
    )
    for codec, callback in course_buttons:
        app.add_handler(CallbackQueryHandler(callback, pattern=codec.pattern))
    # Translation review: /review (optionally with a word), its cards (the wording she types is
    # a typed answer, below), and a coordinator giving the reviewer right from a member's card.
    app.add_handler(CommandHandler("review", review.review_command, filters=private))
    app.add_handler(CallbackQueryHandler(review.review_callback, pattern=REVIEW_PATTERN))
    app.add_handler(CallbackQueryHandler(review_rights.rights_callback, pattern=RIGHTS_PATTERN))
    # The drop-in: women's /dropin (from the menu and the help guide too), reminders and
    # calendars; the bydelsmødre's /rota, shifts and swaps; a coordinator's answer to an alert;
    # a coordinator's /sessions (create and change them); /reached (counts only) and /report.
    app.add_handler(CommandHandler("dropin", dropin_women.dropin_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(dropin_women.dropin_menu_callback, pattern=r"^menu:dropin$")
    )
    app.add_handler(
        CallbackQueryHandler(dropin_women.district_callback, pattern=dropin_buttons.WOMEN)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_women.remind_callback, pattern=dropin_buttons.REMIND)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_women.calendar_callback, pattern=dropin_buttons.CALENDAR)
    )
    app.add_handler(CommandHandler("rota", dropin_rota.rota_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(
            menu.opened_from_menu(dropin_rota.rota_command), pattern=r"^menu:rota$"
        )
    )
    app.add_handler(CallbackQueryHandler(dropin_rota.rota_callback, pattern=dropin_buttons.ROTA))
    app.add_handler(CallbackQueryHandler(dropin_rota.shift_callback, pattern=dropin_buttons.SHIFT))
    app.add_handler(
        CallbackQueryHandler(dropin_rota.accept_callback, pattern=dropin_buttons.ACCEPT)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_rota.my_calendar_callback, pattern=dropin_buttons.MY_CALENDAR)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_coordinate.alert_callback, pattern=dropin_buttons.ALERT)
    )
    app.add_handler(CommandHandler("sessions", dropin_sessions.sessions_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(dropin_sessions.list_callback, pattern=dropin_buttons.SESSIONS)
    )
    for pattern in (dropin_buttons.SESSION, dropin_buttons.SESSION_SET):
        app.add_handler(CallbackQueryHandler(dropin_sessions.session_callback, pattern=pattern))
    for pattern in (dropin_buttons.NEW, dropin_buttons.NEW_PLACE, dropin_buttons.NEW_KIND,
                    dropin_buttons.CREATE):  # fmt: skip
        app.add_handler(CallbackQueryHandler(dropin_sessions.new_callback, pattern=pattern))
    app.add_handler(CommandHandler("reached", dropin_reach.reached_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(dropin_reach.district_callback, pattern=dropin_buttons.REACH_DISTRICT)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_reach.reach_callback, pattern=dropin_buttons.REACH_TOPIC)
    )
    app.add_handler(
        CallbackQueryHandler(dropin_reach.reach_callback, pattern=dropin_buttons.REACH_COUNT)
    )
    app.add_handler(CommandHandler("report", dropin_report.report_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(dropin_report.report_callback, pattern=dropin_buttons.REPORT)
    )

    # Privacy: what is stored about her, and forgetting it.
    app.add_handler(CommandHandler("mydata", privacy.mydata_command, filters=private))
    app.add_handler(CallbackQueryHandler(privacy.mydata_menu_callback, pattern=r"^menu:mydata$"))
    app.add_handler(CommandHandler("forget", privacy.forget_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(privacy.forget_callback, pattern=people_codecs.FORGET.pattern)
    )

    # The district's group chat: /link, /unlink, the bot added or removed, migrations. The
    # same my_chat_member handler hears her block ("kicked") or unblock the bot in private.
    # Edited commands are ignored: editing "/link" must not link a second time.
    groups = filters.ChatType.GROUPS
    new_in_group = groups & filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("link", group_chat.link_command, filters=new_in_group))
    app.add_handler(CommandHandler("unlink", group_chat.unlink_command, filters=new_in_group))
    app.add_handler(
        CommandHandler(["link", "unlink"], group_chat.link_in_private_command, filters=private)
    )
    app.add_handler(
        CallbackQueryHandler(group_chat.link_district_callback, pattern=people_codecs.LINK.pattern)
    )
    app.add_handler(
        ChatMemberHandler(group_chat.bot_membership_callback, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_chat.chat_migrated_callback))
    app.add_handler(
        MessageHandler(groups & filters.StatusUpdate.NEW_CHAT_TITLE, group_chat.chat_title_callback)
    )

    # The help guide: /info, its topics and cards, 🔊 voice notes, 🧹 clear this conversation, a
    # request to be contacted by a bydelsmor (and the phone number she types for it), and for
    # coordinators /voice (record a voice note) and /stats (the anonymous view counts).
    app.add_handler(CommandHandler("info", help_guide.info_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(help_guide.topics_callback, pattern=help_codecs.TOPICS.pattern)
    )
    # Still a prefix: tests/test_button_guard.py presses "hlp:t:violence", an example it writes
    # from this pattern only; the handler decodes the data with the topic codecs.
    app.add_handler(CallbackQueryHandler(help_guide.topic_callback, pattern=r"^hlp:[tvp]:"))
    app.add_handler(
        CallbackQueryHandler(
            help_guide.guide_language_callback, pattern=help_codecs.GUIDE_LANGUAGE.pattern
        )
    )
    for clear in (help_flow.CLEAR, help_flow.CLEAR_FROM):
        app.add_handler(CallbackQueryHandler(help_flow.clear_callback, pattern=clear.pattern))
    app.add_handler(
        CallbackQueryHandler(contact_requests.ask_callback, pattern=help_codecs.ASK.pattern)
    )
    request_steps = (
        help_codecs.CONSENT_YES,
        help_codecs.CONSENT_NO,
        help_codecs.REQUEST_DISTRICT,
        help_codecs.REQUEST_CHANNEL,
    )
    for step in request_steps:
        app.add_handler(CallbackQueryHandler(contact_requests.step_callback, pattern=step.pattern))
    app.add_handler(
        CallbackQueryHandler(
            contact_handling.done_callback, pattern=help_codecs.REQUEST_DONE.pattern
        )
    )
    app.add_handler(CommandHandler("voice", voice_notes.voice_command, filters=private))
    for choice in (help_codecs.VOICE_TOPIC, help_codecs.VOICE_LANGUAGE):
        app.add_handler(
            CallbackQueryHandler(voice_notes.voice_choice_callback, pattern=choice.pattern)
        )
    for keep in (help_codecs.VOICE_KEEP, help_codecs.VOICE_DISCARD):
        app.add_handler(CallbackQueryHandler(voice_notes.keep_callback, pattern=keep.pattern))
    app.add_handler(
        CallbackQueryHandler(voice_notes.delete_callback, pattern=help_codecs.VOICE_DELETE.pattern)
    )
    app.add_handler(CommandHandler("stats", stats.stats_command, filters=private))
    # Admins: /confirm a help-guide phone number or address (where and when she checked it).
    app.add_handler(CommandHandler("confirm", confirm_facts.confirm_command, filters=private))
    app.add_handler(
        CallbackQueryHandler(confirm_facts.fact_callback, pattern=help_codecs.FACT.pattern)
    )
    # After whichever handler answered: anything she sends while a help flow is open (a
    # sentence, a sticker, a photo, a command) is noted, so that 🧹 deletes it too.
    app.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGE, help_flow.note_in_open_flow), group=1
    )

    # Typed answers: a chat's next message answers the one question the bot asked there (a new
    # question replaces the old). Each question's answer callback (and what /cancel does to it,
    # if more than closing it) is registered here; handlers/common/awaiting.py explains the rules.
    answers = {
        broadcasts.TEXT: awaiting.On(broadcasts.text_answered, broadcasts.text_cancelled),
        meeting_admin.NOTE: awaiting.On(meeting_admin.note_answered),
        contact_requests.PHONE: awaiting.On(contact_requests.phone_answered),
        voice_notes.VOICE: awaiting.On(voice_notes.voice_answered),
        # The basic training: her name and phone number, a cohort's name, an evening's date
        # and time (new or moved) and its lecturer.
        course_typed.NAME: awaiting.On(course_interest.name_answered),
        course_typed.PHONE: awaiting.On(course_interest.phone_answered),
        course_typed.COHORT_NAME: awaiting.On(course_cohorts.cohort_name_answered),
        course_typed.EVENING_WHEN: awaiting.On(course_evenings.when_answered),
        course_typed.MOVE_WHEN: awaiting.On(course_evening_changes.move_when_answered),
        course_typed.LECTURER: awaiting.On(course_evenings.lecturer_answered),
        course_typed.CAPACITY: awaiting.On(course_capacity.capacity_answered),
        course_typed.EVENING_NAME: awaiting.On(course_evening_changes.name_answered),
        confirm_facts.SOURCE: awaiting.On(confirm_facts.source_answered),
        broadcast_waiting.NEW_TIME: awaiting.On(broadcast_waiting.new_time_answered),
        meeting_rule.DAYS_OFF: awaiting.On(meeting_rule.days_off_answered),
        dropin_reach.COUNT: awaiting.On(dropin_reach.count_answered),
        review.WORDING: awaiting.On(review.wording_answered),
    }
    questions = awaiting.Questions(answers, otherwise=fallback.free_text_callback)
    app.bot_data[awaiting.KEY] = questions
    app.add_handler(awaiting.AnswerHandler(questions))
    # /cancel ends exactly the open question. Any other command but /help and /info ends it
    # first (group -1, before the command runs, which may ask a question of its own).
    app.add_handler(CommandHandler("cancel", awaiting.cancel_command, filters=private))
    app.add_handler(
        MessageHandler(
            private & filters.COMMAND & ~awaiting.not_leaving(),
            awaiting.command_leaves_callback,
        ),
        group=-1,
    )

    # Last: whatever nobody took. Unknown commands and free text in private chats get pointed to
    # the menu; any other button press is old, forged or not ours and changes nothing.
    new_private = private & filters.UpdateType.MESSAGE  # an edited message needs no second reply
    app.add_handler(
        MessageHandler(new_private & filters.COMMAND, fallback.unknown_command_callback)
    )
    # Free text (or a photo, a sticker) that answers no open question.
    app.add_handler(MessageHandler(new_private & ~filters.COMMAND, fallback.free_text_callback))
    app.add_handler(CallbackQueryHandler(fallback.stale_button_callback))

    app.add_error_handler(errors.error_callback)
