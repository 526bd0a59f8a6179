"""Background jobs that send on their own (not replies to a press): each claims what it sends in
the database right before sending, so a restart never sends anything twice."""
