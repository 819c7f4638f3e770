-- Every message rewrites each participant's conversation row and feed head. When no indexed column
-- changes and the page has room, PostgreSQL updates a row in place (a HOT update) without touching
-- any index; measured under send load, conversations were almost never updated that way because the
-- recency index covered the timestamp every message changes. A user's conversations are read through
-- the primary key (app_id, timeline_of) and sorted: a few hundred rows, cheaper than maintaining a
-- second index on every send. Free space per page keeps the new versions on the same page.
DROP INDEX conversations_by_recency;
ALTER TABLE conversations SET (fillfactor = 70);
ALTER TABLE feed_heads SET (fillfactor = 50);
