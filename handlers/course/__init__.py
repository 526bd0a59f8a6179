"""The basic training in the chat: /course for each kind of woman, "I want to become a
bydelsmor", cohorts and their evenings from the coordinator's phone, admission and the waiting
list, attendance and progress. The rules are in bot/course/, the tables in storage/course/, the
jobs that send on their own (offers, evening reminders) in handlers/jobs/course/."""
