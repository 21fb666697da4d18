-- Disaster recovery: protection groups, their workloads and copies, recovery plans, runs and their journalled steps.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL).

CREATE TABLE dr_group (
    id               VARCHAR(63)  PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    department_id    VARCHAR(63)  NOT NULL,
    protected_cloud  VARCHAR(63)  NOT NULL,
    recovery_cloud   VARCHAR(63)  NOT NULL,
    home_cloud       VARCHAR(63)  NOT NULL,
    rpo_seconds      BIGINT       NOT NULL,
    state            VARCHAR(20)  NOT NULL,
    -- the run that holds the group: one operation per group at a time
    active_run       VARCHAR(36),
    rpo_exceeded     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMP    NOT NULL
);

-- a workload is in at most one group: (cloud, external id) is unique
CREATE TABLE dr_member (
    group_id     VARCHAR(63)  NOT NULL REFERENCES dr_group(id) ON DELETE CASCADE,
    name         VARCHAR(63)  NOT NULL,
    cloud_id     VARCHAR(63)  NOT NULL,
    external_id  VARCHAR(300) NOT NULL,
    -- the workload a planned migration, failover or failback brought up on the recovery cloud
    recovered_id VARCHAR(300),
    PRIMARY KEY (group_id, name),
    UNIQUE (cloud_id, external_id)
);

-- the latest consistent copy of each member on the recovery cloud
CREATE TABLE dr_copy (
    group_id       VARCHAR(63)  NOT NULL REFERENCES dr_group(id) ON DELETE CASCADE,
    name           VARCHAR(63)  NOT NULL,
    cloud_id       VARCHAR(63)  NOT NULL,
    copy_id        VARCHAR(300) NOT NULL,
    network        VARCHAR(200) NOT NULL,
    consistent_at  TIMESTAMP    NOT NULL,
    PRIMARY KEY (group_id, name)
);

CREATE TABLE dr_plan (
    id          VARCHAR(63)   PRIMARY KEY,
    group_id    VARCHAR(63)   NOT NULL REFERENCES dr_group(id) ON DELETE CASCADE,
    plan_json   TEXT          NOT NULL,
    created_at  TIMESTAMP     NOT NULL
);

CREATE TABLE dr_run (
    id              VARCHAR(36)   PRIMARY KEY,
    plan_id         VARCHAR(63)   NOT NULL REFERENCES dr_plan(id) ON DELETE CASCADE,
    group_id        VARCHAR(63)   NOT NULL,
    operation       VARCHAR(30)   NOT NULL,
    -- the drill a cleanup cleans up
    parent_run      VARCHAR(36),
    state           VARCHAR(20)   NOT NULL,
    requested_by    VARCHAR(200)  NOT NULL,
    network         VARCHAR(200),
    recovery_point  TIMESTAMP,
    error           VARCHAR(2000),
    started_at      TIMESTAMP     NOT NULL,
    finished_at     TIMESTAMP
);
CREATE INDEX dr_run_plan ON dr_run(plan_id, started_at);

CREATE TABLE dr_step (
    run_id       VARCHAR(36)   NOT NULL REFERENCES dr_run(id) ON DELETE CASCADE,
    seq          INT           NOT NULL,
    kind         VARCHAR(20)   NOT NULL,
    workload     VARCHAR(63),
    priority     INT           NOT NULL,
    -- seqs of the steps this one waits for, comma-separated
    needs        TEXT          NOT NULL,
    -- what the step works on: a copy id, a production id, a hook as JSON
    target       VARCHAR(4000),
    state        VARCHAR(20)   NOT NULL,
    started_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    detail       VARCHAR(2000),
    PRIMARY KEY (run_id, seq)
);
