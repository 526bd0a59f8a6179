"""The course's typed answers: a woman's name and phone number, a cohort's name, an evening's
date and time (new or moved) and its lecturer. They are questions of the bot's one mechanism for
typed answers (handlers/common/awaiting.py); each answer callback takes (update, context,
values) and is registered in bot/app.py's `answers`."""

from __future__ import annotations

from bot.i18n import N_
from handlers.common.awaiting import Question

NAME = Question("course.name", N_("The bot no longer waits for your name."))
PHONE = Question("course.phone", N_("The bot no longer waits for your phone number."))
COHORT_NAME = Question("course.cohort_name", N_("The bot no longer waits for the cohort's name."))
EVENING_WHEN = Question(
    "course.evening_when", N_("The bot no longer waits for the evening's date and time.")
)
MOVE_WHEN = Question(
    "course.move_when", N_("The bot no longer waits for the evening's new date and time.")
)
CAPACITY = Question("course.capacity", N_("The bot no longer waits for the number of places."))
EVENING_NAME = Question(
    "course.evening_name", N_("The bot no longer waits for the evening's name.")
)
LECTURER = Question("course.lecturer", N_("The bot no longer waits for the lecturer's name."))
