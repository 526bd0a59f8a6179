"""Translation review inside the bot: /review cards, typed wordings, reviewer rights."""
