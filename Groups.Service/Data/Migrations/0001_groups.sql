-- Chat21 groups of every app. Times are Unix milliseconds, as Chat21 clients expect.
CREATE TABLE groups (
    app_id     text   NOT NULL,
    group_id   text   NOT NULL,
    name       text   NOT NULL,
    owner      text   NOT NULL,
    attributes jsonb,
    created_on bigint NOT NULL,
    updated_on bigint NOT NULL,
    -- Incremented by every change; events carry it so consumers can order them.
    version    bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (app_id, group_id)
);

CREATE TABLE group_members (
    app_id    text   NOT NULL,
    group_id  text   NOT NULL,
    member_id text   NOT NULL,
    joined_on bigint NOT NULL,
    PRIMARY KEY (app_id, group_id, member_id),
    FOREIGN KEY (app_id, group_id) REFERENCES groups (app_id, group_id) ON DELETE CASCADE
);

CREATE INDEX group_members_by_member ON group_members (app_id, member_id);
