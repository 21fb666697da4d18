-- Scheduling (issue 3): the placement of scheduled provisioning requests.

-- why the scheduler chose the cloud of a request that named none (JSON of the explanation), null otherwise
ALTER TABLE provisioning ADD COLUMN placement_json VARCHAR(100000);
