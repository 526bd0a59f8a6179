"""The basic training's tables: interest, cohorts and their places, evenings, attendance, cards."""
