package org.tianshu.planes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.persistence.Database;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/** Without a controller the planes can be read, and every change is a CONFLICT naming what is missing. */
class AbsentControllerTest {
    @Test
    void readsWorkChangesNameTheMissingController() {
        try (Database db = Database.open("jdbc:h2:mem:absent-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", 2)) {
            PlaneManager m = new PlaneManager(db.dataSource(), new PathEngine(), new PlanesComponent.Absent("(tianshu.controller=srv6-lab)"),
                    new Departments(db.dataSource()), new PlaneManager.Settings(PlaneFixture.POOLS, 1000, 1010));
            assertThat(m.start()).isFalse();
            assertThat(m.list(Caller.SYSTEM)).isEmpty();
            assertThatThrownBy(() -> m.apply(PlaneFixture.plane("egov", 10), Caller.SYSTEM)).isInstanceOfSatisfying(TianshuException.class, e -> {
                assertThat(e.kind()).isEqualTo(TianshuException.Kind.CONFLICT);
                assertThat(e.field()).isEqualTo("controller");
                assertThat(e.getMessage()).contains("no network controller matches controller.target (tianshu.controller=srv6-lab)");
            });
        }
    }
}
