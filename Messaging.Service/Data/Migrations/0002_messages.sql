-- A message is stored once; each participant sees it through a row of their own timeline and a
-- conversation row that carries the last message, so listing conversations reads one table.
CREATE TABLE messages (
    message_id         uuid   PRIMARY KEY,
    app_id             text   NOT NULL,
    sender             text   NOT NULL,
    sender_fullname    text   NOT NULL,
    recipient          text   NOT NULL,
    recipient_fullname text   NOT NULL,
    channel_type       text   NOT NULL,
    type               text   NOT NULL,
    text               text,
    attributes         jsonb,
    metadata           jsonb,
    timestamp          bigint NOT NULL
);

-- The primary key is also the cursor: a conversation's messages page by (timestamp, message_id).
CREATE TABLE timelines (
    app_id       text    NOT NULL,
    timeline_of  text    NOT NULL,
    convers_with text    NOT NULL,
    timestamp    bigint  NOT NULL,
    message_id   uuid    NOT NULL REFERENCES messages (message_id),
    status       integer NOT NULL,
    PRIMARY KEY (app_id, timeline_of, convers_with, timestamp, message_id)
);

CREATE TABLE conversations (
    app_id                text    NOT NULL,
    timeline_of           text    NOT NULL,
    convers_with          text    NOT NULL,
    convers_with_fullname text    NOT NULL,
    message_id            uuid    NOT NULL,
    sender                text    NOT NULL,
    sender_fullname       text    NOT NULL,
    recipient             text    NOT NULL,
    recipient_fullname    text    NOT NULL,
    last_message_text     text,
    type                  text    NOT NULL,
    channel_type          text    NOT NULL,
    attributes            jsonb,
    metadata              jsonb,
    timestamp             bigint  NOT NULL,
    status                integer NOT NULL,
    is_new                boolean NOT NULL,
    unread_count          integer NOT NULL,
    archived              boolean NOT NULL,
    PRIMARY KEY (app_id, timeline_of, convers_with)
);

-- A user's active or archived conversations, newest first, paged by timestamp.
CREATE INDEX conversations_by_recency ON conversations (app_id, timeline_of, archived, timestamp DESC, convers_with);
