-- Each coordinator's copy of a contact request (her chat and the message), so that the copies
-- can be changed with the request: on "handled" every copy loses her contact details, and when
-- the request is purged (or could not be sent to everyone) what is left of them goes too.
-- Deleted with the request.

CREATE TABLE contact_request_deliveries (
    request_id      INTEGER NOT NULL REFERENCES contact_requests(id) ON DELETE CASCADE,
    coordinator_telegram_id INTEGER NOT NULL,   -- the coordinator's private chat
    message_id      INTEGER NOT NULL,
    PRIMARY KEY (request_id, coordinator_telegram_id)
);
