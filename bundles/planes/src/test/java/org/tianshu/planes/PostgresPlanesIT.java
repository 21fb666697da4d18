package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.planes.PlaneFixture.a;
import static org.tianshu.planes.PlaneFixture.plane;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.persistence.LabPostgres;

/** Planes on the lab's real PostgreSQL: a restart restores every reservation in admission order and every plane. */
class PostgresPlanesIT {
    @Test
    void aRestartRestoresPlanesAndReservations() {
        try (PlaneFixture f = new PlaneFixture(LabPostgres.freshDatabase())) {
            f.manager.apply(plane("video", 200), Caller.SYSTEM);
            f.manager.apply(plane("egov", 100, new PlaneSite("sx", a("r3/p1")), new PlaneSite("wz", a("r2/p2"))), Caller.SYSTEM);
            f.manager.changeBandwidth("egov", 150, Caller.SYSTEM);
            f.manager.delete("video", Caller.SYSTEM);
            f.manager.apply(plane("cctv", 100), Caller.SYSTEM);
            List<Plane> before = f.manager.list(Caller.SYSTEM);
            var reservations = f.engine.reservations();
            int applies = f.controller.applies();

            f.restart();
            assertThat(f.engine.reservations()).isEqualTo(reservations);
            assertThat(f.manager.list(Caller.SYSTEM)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("updatedAt")
                    .isEqualTo(before);
            assertThat(f.controller.applies()).as("nothing to push: the network carries every plane").isEqualTo(applies);
            assertThat(f.manager.status("egov", Caller.SYSTEM).realised()).isTrue();
        }
    }
}
