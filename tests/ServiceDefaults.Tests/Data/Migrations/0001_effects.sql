-- What the test consumer does for each event it applies; counting rows counts applications.
CREATE TABLE effects (
    app_id   text   NOT NULL,
    group_id text   NOT NULL,
    version  bigint NOT NULL
);
