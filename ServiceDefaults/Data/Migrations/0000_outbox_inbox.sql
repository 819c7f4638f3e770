-- Transactional outbox: rows are written in the same transaction as the state change they
-- describe, then published by OutboxDispatcher. The row id is the message id on the bus.
CREATE TABLE outbox_messages (
    id              uuid PRIMARY KEY,
    message_type    text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);

CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at, created_at);

-- Idempotent inbox: one row per (message, consumer), inserted in the same transaction as the
-- consumer's effect, so a redelivered message changes nothing.
CREATE TABLE inbox_messages (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);
