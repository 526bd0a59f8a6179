"""The one registry: every handler of the bot, in the order Telegram updates meet them.

bot/application.py builds the Application and calls `register_handlers`; a feature's commands,
buttons and typed answers are added here, in their block, with a comment saying what they are.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.announcements import broadcast_waiting, broadcasts, history
from handlers.announcements import codecs as announcement_codecs
from handlers.common import awaiting, errors, fallback, guard, help_flow, menu
from handlers.common.button_router import ButtonRouter
from handlers.common.clock import CLOCK_KEY
from handlers.common.codec import Codec
from handlers.common.context import BotContext
from handlers.common.identity import load_identity_callback
from handlers.common.language import LANGUAGE
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
from handlers.dropin import codecs as dropin_codecs
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
from handlers.meetings import codecs as meeting_codecs
from handlers.meetings import meeting_admin, meeting_rule, meeting_when, meetings, phase
from handlers.people import codecs as people_codecs
from handlers.people import group_chat, invites, members, onboarding, privacy, profile
from handlers.review import codecs as review_codecs
from handlers.review import rights as review_rights
from handlers.review import session as review

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def register_handlers(app: BotApplication) -> None:
    """Every handler of the bot, in the order Telegram updates meet them."""
    private = filters.ChatType.PRIVATE

    def command(name: str, callback: Callback) -> None:
        """A command in her private chat with the bot."""
        app.add_handler(CommandHandler(name, callback, filters=private))

    buttons = ButtonRouter()

    def press(callback: Callback, *codecs: Codec) -> None:
        """Buttons, by their codecs (handlers/common/codec.py): routes of the one button router."""
        for codec in codecs:
            buttons.add(codec.pattern, callback)

    # Group -2: load who she is (role, districts, language) once per update, for all that follow.
    app.add_handler(TypeHandler(Update, load_identity_callback), group=-2)
    # Group -1: every button press made in a group chat is refused here unless its pattern is in
    # handlers/guard.GROUP_BUTTONS (default deny), and so is one on a message the bot cannot see.
    app.add_handler(CallbackQueryHandler(guard.button_guard_callback), group=-1)
    # Group 0, first: every button below (`press`) is a route of this one handler, so that a
    # press finds its callback by its data instead of being offered to over 160 handlers in turn
    # (handlers/common/button_router.py). Its place changes which handler wins for no update: no
    # other handler of group 0 takes a press but the stale-button fallback at the end. Commands,
    # MessageHandlers and typed answers (awaiting.AnswerHandler) go through PTB's filters, which
    # pass message updates only (filters.BaseFilter.check_update), and the ChatMemberHandler
    # takes member updates. First, then, so that a press meets one check, and a message one
    # cheap "not a press" more; a press that no route takes goes on to the fallback.
    app.add_handler(buttons)

    # Onboarding: /start (with an optional deep-link parameter), the language picker, /language.
    command("start", onboarding.start_command)
    command("language", onboarding.language_command)
    press(onboarding.language_chosen_callback, LANGUAGE)
    press(onboarding.language_menu_callback, menu.LANGUAGE)

    # The menu and what its buttons open.
    command("menu", menu.menu_command)
    command("help", help.help_command)
    press(help.help_menu_callback, menu.HELP)
    command("me", profile.profile_command)
    press(profile.profile_menu_callback, menu.ME)

    # Coordinators: invites (and a woman answering one), members, the group's phase.
    command("invite", invites.invite_command)
    press(menu.opened_from_menu(invites.invite_command), menu.INVITE)
    press(invites.invite_district_callback, people_codecs.INVITE_DISTRICT)
    press(invites.invite_role_callback, people_codecs.INVITE_ROLE)
    press(invites.join_callback, people_codecs.JOIN, people_codecs.JOIN_NO)
    command("members", members.members_command)
    press(menu.opened_from_menu(members.members_command), menu.MEMBERS)
    press(members.member_page_callback, people_codecs.MEMBER_PAGE)
    press(
        members.member_action_callback,
        people_codecs.MEMBER_CARD,
        people_codecs.MEMBER_REMOVE,
        people_codecs.MEMBER_REMOVE_OK,
    )
    press(members.member_role_callback, people_codecs.MEMBER_ROLE, people_codecs.MEMBER_ROLE_OK)
    command("phase", phase.phase_command)
    press(menu.opened_from_menu(phase.phase_command), menu.PHASE)
    press(
        phase.phase_callback,
        meeting_codecs.PHASE_CHOICES,
        meeting_codecs.PHASE_PICK,
        meeting_codecs.PHASE_OK,
    )

    # Meetings: /meetings and a meeting's card, answers (also inside reminders), calendar files;
    # for coordinators /rsvps, and adding, moving, cancelling, place and note (one typed line).
    command("meetings", meetings.meetings_command)
    press(menu.opened_from_menu(meetings.meetings_command), menu.MEETINGS)
    press(meetings.meeting_card_callback, meeting_codecs.CARD)
    press(meetings.rsvp_callback, meeting_codecs.RSVP, meeting_codecs.RSVP_ON_REMINDER)
    press(meetings.calendar_callback, meeting_codecs.CALENDAR, meeting_codecs.DISTRICT_CALENDAR)
    command("rsvps", meeting_admin.rsvps_command)
    press(meeting_admin.answers_callback, meeting_codecs.ANSWERS)
    press(meeting_admin.district_answers_callback, meeting_codecs.DISTRICT_ANSWERS)
    press(meeting_admin.cancel_callback, meeting_codecs.CANCEL, meeting_codecs.CANCEL_OK)
    press(meeting_when.when_callback, *meeting_codecs.MOVE.codecs(), *meeting_codecs.ADD.codecs())
    press(meeting_admin.note_start_callback, meeting_codecs.NOTE)
    press(meeting_when.restore_callback, meeting_codecs.RESTORE, meeting_codecs.RESTORE_OK)
    # 🔁 Regular meetings: a coordinator sets the group's rule (days off typed: see below).
    press(meeting_rule.rule_callback, *meeting_codecs.RULE_BUTTONS)

    # Announcements: /broadcast composes one (the draft lives in the database), /broadcasts lists
    # them with their reports. What she types while composing is a typed answer (see below).
    command("broadcast", broadcasts.broadcast_command)
    press(menu.opened_from_menu(broadcasts.broadcast_command), menu.BROADCAST)
    press(broadcasts.broadcast_callback, *announcement_codecs.COMPOSING)
    # /broadcasts: what is waiting to be sent (▶️ now, 🕒 another time, ❌ cancel), then the history.
    command("broadcasts", broadcast_waiting.waiting_first_command)
    press(history.history_callback, announcement_codecs.HISTORY_PAGE)
    press(
        broadcast_waiting.waiting_callback,
        announcement_codecs.WAITING,
        announcement_codecs.WAITING_ACTION,
    )

    # The basic training: /course for each kind of woman; "I want to become a bydelsmor" (also
    # the poster's deep link, see onboarding); offers of a freed place; coordinators' cohorts,
    # admission and waiting list, capacity, progress and the spreadsheet. Each button has its
    # codec in handlers/course/codecs.py; its typed answers are in the one `answers` dict below.
    command("course", course_entry.course_command)
    press(menu.opened_from_menu(course_entry.course_command), menu.COURSE)
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
        press(callback, codec)
    # Translation review: /review (optionally with a word), its cards (the wording she types is
    # a typed answer, below), and a coordinator giving the reviewer right from a member's card.
    command("review", review.review_command)
    press(review.review_callback, *review_codecs.REVIEW)
    press(review_rights.rights_callback, review_codecs.RIGHTS, review_codecs.RIGHTS_TOGGLE)
    # The drop-in: women's /dropin (from the menu and the help guide too), reminders and
    # calendars; the bydelsmødre's /rota, shifts and swaps; a coordinator's answer to an alert;
    # a coordinator's /sessions (create and change them); /reached (counts only) and /report.
    command("dropin", dropin_women.dropin_command)
    press(dropin_women.dropin_menu_callback, menu.DROPIN)
    press(dropin_women.district_callback, dropin_codecs.WOMEN)
    press(dropin_women.remind_callback, dropin_codecs.REMIND)
    press(dropin_women.calendar_callback, dropin_codecs.CALENDAR)
    command("rota", dropin_rota.rota_command)
    press(menu.opened_from_menu(dropin_rota.rota_command), menu.ROTA)
    press(dropin_rota.rota_callback, dropin_codecs.ROTA)
    press(dropin_rota.shift_callback, dropin_codecs.SHIFT)
    press(dropin_rota.accept_callback, dropin_codecs.ACCEPT)
    press(dropin_rota.my_calendar_callback, dropin_codecs.MY_CALENDAR)
    press(dropin_coordinate.alert_callback, dropin_codecs.ALERT)
    command("sessions", dropin_sessions.sessions_command)
    press(dropin_sessions.list_callback, dropin_codecs.SESSIONS)
    press(dropin_sessions.session_callback, dropin_codecs.SESSION, dropin_codecs.SESSION_SET)
    press(
        dropin_sessions.new_callback,
        dropin_codecs.NEW,
        dropin_codecs.NEW_PLACE,
        dropin_codecs.NEW_KIND,
        dropin_codecs.CREATE,
    )
    command("reached", dropin_reach.reached_command)
    press(dropin_reach.district_callback, dropin_codecs.REACH_DISTRICT)
    press(dropin_reach.reach_callback, dropin_codecs.REACH_TOPIC, dropin_codecs.REACH_COUNT)
    command("report", dropin_report.report_command)
    press(dropin_report.report_callback, dropin_codecs.REPORT)

    # Privacy: what is stored about her, and forgetting it.
    command("mydata", privacy.mydata_command)
    press(privacy.mydata_menu_callback, menu.MYDATA)
    command("forget", privacy.forget_command)
    press(privacy.forget_callback, people_codecs.FORGET)

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
    press(group_chat.link_district_callback, people_codecs.LINK)
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
    command("info", help_guide.info_command)
    press(help_guide.topics_callback, help_codecs.TOPICS)
    press(
        help_guide.topic_callback,
        help_codecs.TOPIC,
        help_codecs.TOPIC_VOICE,
        help_codecs.TOPIC_PAGE,
    )
    press(help_guide.guide_language_callback, help_codecs.GUIDE_LANGUAGE)
    press(help_flow.clear_callback, help_flow.CLEAR, help_flow.CLEAR_FROM)
    press(contact_requests.ask_callback, help_codecs.ASK)
    press(
        contact_requests.step_callback,
        help_codecs.CONSENT_YES,
        help_codecs.CONSENT_NO,
        help_codecs.REQUEST_DISTRICT,
        help_codecs.REQUEST_CHANNEL,
    )
    press(contact_handling.done_callback, help_codecs.REQUEST_DONE)
    command("voice", voice_notes.voice_command)
    press(voice_notes.voice_choice_callback, help_codecs.VOICE_TOPIC, help_codecs.VOICE_LANGUAGE)
    press(voice_notes.keep_callback, help_codecs.VOICE_KEEP, help_codecs.VOICE_DISCARD)
    press(voice_notes.delete_callback, help_codecs.VOICE_DELETE)
    command("stats", stats.stats_command)
    # Admins: /confirm a help-guide phone number or address (where and when she checked it).
    command("confirm", confirm_facts.confirm_command)
    press(confirm_facts.fact_callback, help_codecs.FACT)
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
    questions = awaiting.Questions(
        answers, otherwise=fallback.free_text_callback, clock=app.bot_data[CLOCK_KEY]
    )
    app.bot_data[awaiting.KEY] = questions
    app.add_handler(awaiting.AnswerHandler(questions))
    # /cancel ends exactly the open question. Any other command but /help and /info ends it
    # first (group -1, before the command runs, which may ask a question of its own).
    command("cancel", awaiting.cancel_command)
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
