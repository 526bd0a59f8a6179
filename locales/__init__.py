"""The message catalogues: `<locale>/LC_MESSAGES/messages.po`, one per shipped language.

A data package, so that the catalogues install with the bot; `bot.i18n` loads them.
"""
