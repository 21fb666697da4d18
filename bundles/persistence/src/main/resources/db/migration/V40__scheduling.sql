-- Scheduling (issue 3): the placement of scheduled provisioning requests.

-- why the scheduler chose the cloud of a request that named none (JSON of the explanation), null otherwise
ALTER TABLE provisioning ADD COLUMN placement_json VARCHAR(100000);

-- what the scheduler holds: host capacity per placement or provisioning hold, kept across restarts
CREATE TABLE scheduler_reservation (
    id                  VARCHAR(200)   PRIMARY KEY,
    department_id       VARCHAR(63)    NOT NULL REFERENCES department(id),
    hold                BOOLEAN        NOT NULL,
    settled             BOOLEAN        NOT NULL,
    claims_json         VARCHAR(100000) NOT NULL,
    quota_requests      VARCHAR(4000),
    affinity_group      VARCHAR(63),
    anti_affinity_group VARCHAR(63),
    created_at          TIMESTAMP      NOT NULL
);

-- per-department scheduling policy: allowed clouds (comma-separated, empty for any) and default weights
CREATE TABLE scheduling_policy (
    department_id  VARCHAR(63)      PRIMARY KEY REFERENCES department(id),
    allowed_clouds VARCHAR(4000)    NOT NULL,
    pack           DOUBLE PRECISION NOT NULL,
    spread         DOUBLE PRECISION NOT NULL,
    cost           DOUBLE PRECISION NOT NULL,
    energy         DOUBLE PRECISION NOT NULL,
    latency        DOUBLE PRECISION NOT NULL,
    updated_at     TIMESTAMP        NOT NULL
);
