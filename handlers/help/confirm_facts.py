"""/confirm (admins): confirm a help-guide phone number or address from the bot.

The catalogue file marks a fact `unconfirmed` when it rests on a secondary source: the public
does not see it (the shelter's card then sends her to 112 and VO-linjen instead). An admin who
checked it herself presses it here and types where she checked it and the date; the fact is
shown to every woman at once, without a redeploy (bot/confirmations.py).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.confirmations import (
    ADDRESS,
    Confirmation,
    open_facts,
    parse_source_and_date,
    phone_fact,
    with_confirmations,
)
from bot.i18n import N_
from bot.identity import Role
from bot.referrals import Catalogue, Service, load_catalogue
from handlers.common.access import refuse
from handlers.common.awaiting import Question, ask
from handlers.common.catalogue import CATALOGUE_KEY, catalogue_of
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.help import codecs
from storage import Database
from storage.confirmations import ConfirmationRecord, add_confirmation, list_confirmations

# The typed question: where she checked the fact, and when (values: service id, fact).
SOURCE = Question("confirm.source", N_("I no longer wait for where you checked the fact."))
EXAMPLE = "https://www.krisesenter.com 2026-12-01"


async def confirmed_catalogue(db: Database) -> Catalogue:
    """The shipped catalogue with every confirmation made in the bot applied."""
    records = await list_confirmations(db)
    return with_confirmations(
        load_catalogue(),
        [Confirmation(r.service_id, r.fact, r.source, r.checked_on) for r in records],
    )


async def confirm_command(update: Update, context: BotContext) -> None:
    """List the unconfirmed facts, one button each."""
    assert update.effective_chat is not None
    if context.identity.role is not Role.ADMIN:
        await refuse(update, context)
        return
    t, catalogue = context.t, catalogue_of(context)
    facts = open_facts(catalogue)
    if not facts:
        text = "✅ " + t._("Every phone number and address in the help guide is confirmed.")
        await context.bot.send_message(update.effective_chat.id, text)
        return
    rows = []
    for fact in facts:
        service = catalogue.service(fact.service_id, audience="coordinator")
        assert service is not None
        emoji = "📍" if fact.fact == ADDRESS else "📞"
        label = f"{t._(service.name)}: {fact.shown}"[:60]
        rows.append(
            [button(emoji, label, codecs.FACT.encode(fact.service_id, code_of(service, fact.fact)))]
        )
    text = "🔎 " + t._(
        "Women do not see these numbers and addresses yet: nobody has confirmed them. Press one "
        "that you have checked yourself."
    )
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=InlineKeyboardMarkup(rows)
    )


def code_of(service: Service, fact: str) -> str:
    """The fact's short code in a button: "a" (the address) or "p<index of the phone>"."""
    if fact == ADDRESS:
        return "a"
    return "p" + str(next(i for i, p in enumerate(service.phones) if phone_fact(p.number) == fact))


async def fact_callback(update: Update, context: BotContext) -> None:
    """Ask where she checked the fact she pressed, and when."""
    query = update.callback_query
    assert query is not None and query.data is not None
    t = context.t
    if context.identity.role is not Role.ADMIN:
        await refuse(update, context)
        return
    service_id, code = fields_of(context.matches)
    service = catalogue_of(context).service(service_id, audience="coordinator")
    fact = None
    if service is not None:
        if code == "a" and service.address is not None:
            fact = ADDRESS
        elif code != "a" and int(code[1:]) < len(service.phones):
            fact = phone_fact(service.phones[int(code[1:])].number)
    if service is None or fact is None:
        await answer_expired(query, t)
        return
    await query.answer()
    await ask(context, SOURCE, service.id, fact)
    shown = service.address.street if fact == ADDRESS and service.address else fact[6:]
    text = "✍️ " + t._(
        "Where did you check {fact} ({service}), and when? Send the source and the date, for "
        "example: {example}. Send {command} to stop."
    ).format(
        fact=t.ltr(escape(shown)),
        service=escape(t._(service.name)),
        example=t.ltr(EXAMPLE),
        command=t.command("cancel"),
    )
    await edit_in_place(query, text)


async def source_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Store the confirmation and show the fact to every woman from now on."""
    assert update.message is not None and update.effective_chat is not None
    t, now = context.t, context.clock.now()
    chat_id = update.effective_chat.id
    if context.identity.role is not Role.ADMIN:
        await refuse(update, context)
        return
    today = now.astimezone(context.services.config.tz).date()
    parsed = parse_source_and_date(update.message.text or "", today)
    if parsed is None:
        await ask(context, SOURCE, *values)  # still waiting: she may correct it
        await context.bot.send_message(
            chat_id,
            "🤔 "
            + t._(
                "Please send where you checked it and then the date (not in the future), for "
                "example: {example}"
            ).format(example=t.ltr(EXAMPLE)),
        )
        return
    source, checked = parsed
    service_id, fact = values
    record = ConfirmationRecord(service_id, fact, source, checked)
    await add_confirmation(context.db, record, context.identity.telegram_id, now)
    context.bot_data[CATALOGUE_KEY] = await confirmed_catalogue(context.db)
    text = "✅ " + t._(
        "Confirmed. Every woman now sees it on the card. Source: {source}, checked {date}."
    ).format(source=t.ltr(escape(source)), date=t.ltr(checked.isoformat()))
    await context.bot.send_message(chat_id, text)
