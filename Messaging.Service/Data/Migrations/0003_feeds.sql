-- Each user's realtime feed: every change a user should hear about (a message in their timeline, a
-- status change of their messages, a change to one of their conversations), numbered 1, 2, 3... per
-- user. Every transaction that appends to a feed first locks the user's head row, so a user's
-- numbers commit in order and without gaps: a client resuming after N has missed exactly the rows
-- after N. The number is the SSE event id.
CREATE TABLE feed_heads (
    app_id  text   NOT NULL,
    user_id text   NOT NULL,
    seq     bigint NOT NULL,
    PRIMARY KEY (app_id, user_id)
);

-- A message event points at its message (rendered on replay); other events carry their JSON.
CREATE TABLE feed_events (
    app_id       text        NOT NULL,
    user_id      text        NOT NULL,
    seq          bigint      NOT NULL,
    event        text        NOT NULL,
    convers_with text        NOT NULL,
    message_id   uuid,
    data         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, user_id, seq)
);

-- Rows arrive in time order, so a block-range index finds the expired ones for FeedRetention cheaply.
CREATE INDEX feed_events_by_age ON feed_events USING brin (created_at);

-- A group's recent history, which a joining member receives in their timeline.
CREATE INDEX messages_by_group ON messages (app_id, recipient, timestamp DESC) WHERE channel_type = 'group';
