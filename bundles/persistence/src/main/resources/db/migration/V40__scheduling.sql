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

-- rebalancing plans and their moves, journalled: proposed, approved, executed move by move
CREATE TABLE rebalance_plan (
    id          VARCHAR(36)   PRIMARY KEY,
    cloud_id    VARCHAR(63),
    state       VARCHAR(20)   NOT NULL,
    relieved    VARCHAR(8000) NOT NULL,
    freed       VARCHAR(8000) NOT NULL,
    summary     VARCHAR(2000) NOT NULL,
    proposed_by VARCHAR(200)  NOT NULL,
    approved_by VARCHAR(200),
    created_at  TIMESTAMP     NOT NULL,
    updated_at  TIMESTAMP     NOT NULL
);
CREATE INDEX rebalance_plan_state ON rebalance_plan(state);

CREATE TABLE rebalance_move (
    plan_id     VARCHAR(36)   NOT NULL REFERENCES rebalance_plan(id),
    idx         INT           NOT NULL,
    cloud_id    VARCHAR(63)   NOT NULL,
    external_id VARCHAR(400)  NOT NULL,
    request_id  VARCHAR(200),
    workload    VARCHAR(253)  NOT NULL,
    from_host   VARCHAR(253)  NOT NULL,
    to_host     VARCHAR(253)  NOT NULL,
    cpu         BIGINT        NOT NULL,
    memory      BIGINT        NOT NULL,
    disk        BIGINT        NOT NULL,
    gpus        BIGINT        NOT NULL,
    reason      VARCHAR(1000) NOT NULL,
    state       VARCHAR(20)   NOT NULL,
    error       VARCHAR(2000),
    started_at  TIMESTAMP,
    PRIMARY KEY (plan_id, idx)
);

-- showback metering: what each department held in each cloud, sampled from the inventory; a sample stands for the
-- seconds since the one before it
CREATE TABLE usage_sample (
    department_id VARCHAR(63) NOT NULL,
    cloud_id      VARCHAR(63) NOT NULL,
    sampled_at    TIMESTAMP   NOT NULL,
    seconds       BIGINT      NOT NULL,
    cpu           BIGINT      NOT NULL,
    memory        BIGINT      NOT NULL,
    disk          BIGINT      NOT NULL,
    gpus          BIGINT      NOT NULL,
    PRIMARY KEY (department_id, cloud_id, sampled_at)
);
CREATE INDEX usage_sample_at ON usage_sample(sampled_at);

-- efficiency: since when each workload's measured use has stayed below the idle threshold, kept across restarts
CREATE TABLE workload_low_use (
    cloud_id    VARCHAR(63)  NOT NULL,
    external_id VARCHAR(400) NOT NULL,
    low_since   TIMESTAMP    NOT NULL,
    PRIMARY KEY (cloud_id, external_id)
);
