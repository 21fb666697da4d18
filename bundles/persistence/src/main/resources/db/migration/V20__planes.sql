-- Business planes (issue 4): intents, their journal state, prefix allocations and path reservations.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL).

-- one row per plane; intent_json is what the network carries (or is being changed to: target_json while an apply
-- runs, so a crash can be compensated back to intent_json)
CREATE TABLE plane (
    name             VARCHAR(63)    PRIMARY KEY,
    tbl              INT            NOT NULL UNIQUE,
    state            VARCHAR(20)    NOT NULL,
    intent_json      VARCHAR(65535),
    target_json      VARCHAR(65535),
    realisation_json VARCHAR(65535),
    message          VARCHAR(2000),
    created_at       TIMESTAMP      NOT NULL,
    updated_at       TIMESTAMP      NOT NULL
);

-- every prefix held by a plane: its blocks (site NULL) and its sites' prefixes; pending rows belong to an apply in
-- progress and are dropped by its compensation
CREATE TABLE plane_prefix (
    prefix   VARCHAR(64)  PRIMARY KEY,
    family   INT          NOT NULL,
    plane    VARCHAR(63)  NOT NULL REFERENCES plane(name) ON DELETE CASCADE,
    site     VARCHAR(63),
    kept     BOOLEAN      NOT NULL,
    pending  BOOLEAN      NOT NULL
);
CREATE INDEX plane_prefix_plane ON plane_prefix(plane);

-- the path requests a plane holds, restored in admission order (seq) after a restart
CREATE TABLE plane_reservation (
    id          VARCHAR(200) PRIMARY KEY,
    plane       VARCHAR(63)  NOT NULL REFERENCES plane(name) ON DELETE CASCADE,
    seq         BIGINT       NOT NULL,
    from_router VARCHAR(200) NOT NULL,
    to_router   VARCHAR(200) NOT NULL,
    bandwidth   BIGINT       NOT NULL,
    max_latency BIGINT       NOT NULL,
    protection  VARCHAR(40)  NOT NULL,
    paths_json  VARCHAR(65535) NOT NULL
);
CREATE INDEX plane_reservation_plane ON plane_reservation(plane);

-- private networks being migrated into planes: the imported plan and the sites cut over so far (JSON list)
CREATE TABLE plane_migration (
    network      VARCHAR(63)    PRIMARY KEY,
    plane        VARCHAR(63)    NOT NULL,
    plan_json    VARCHAR(65535) NOT NULL,
    cut_over     VARCHAR(65535) NOT NULL,
    created_at   TIMESTAMP      NOT NULL
);
