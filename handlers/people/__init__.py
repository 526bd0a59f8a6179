"""People: /start and the language, invites, members and roles, her profile, /mydata and /forget,
district group chats."""
