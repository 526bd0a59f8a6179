"""`python -m bot` does what the `bydelsbot` command does."""

from bot.cli import main

raise SystemExit(main())
