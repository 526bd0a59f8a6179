"""Help: /help's cards, the help guide (topics, voice notes), contact requests, fact confirmations
and /stats."""
