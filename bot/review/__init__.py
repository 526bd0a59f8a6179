"""Translation review inside the bot (issue 14): the messages to review, the checks a wording
must pass, the two-person rule, and the export back into the catalogues."""
