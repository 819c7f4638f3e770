-- Committed events are handed to the dispatcher in memory and deleted by key; only the sweep searches the table, and it
-- walks the primary key (a time-ordered UUIDv7) up to an age bound. The index on due time served the old claim query
-- and is now one more index to write for every event.
DROP INDEX IF EXISTS outbox_messages_due;
