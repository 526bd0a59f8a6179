"""The basic training (grunnutdannelse): its rules as plain Python, no Telegram, no SQL.

`modules` the 17 module evenings, `waitlist` admission and the waiting list as a pure state
machine, `progress` who is on track for the diploma, `evenings` checks on a planned evening,
`export` the cohort as a spreadsheet file, `cards` the ID card and the diploma.
"""
