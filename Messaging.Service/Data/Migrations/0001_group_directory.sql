-- Local read model of Groups: who is in which group, kept by GroupDirectoryConsumer from the
-- Groups service's events. Each event carries the full member set and the group's version, so
-- applying the newest version is enough and older or repeated events change nothing.
CREATE TABLE group_directory (
    app_id   text    NOT NULL,
    group_id text    NOT NULL,
    name     text    NOT NULL,
    members  text[]  NOT NULL,
    version  bigint  NOT NULL,
    deleted  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (app_id, group_id)
);
