package org.tianshu.slicing;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tianshu.api.plane.PathComputationService;

/**
 * Registers the in-memory {@link PathEngine} as the runtime's {@link PathComputationService}. The topology is empty
 * until loaded; reservations live as long as the component.
 */
@Component(service = PathComputationService.class)
public class SlicingComponent extends PathEngine {
    @Activate
    public SlicingComponent() {
        super();
    }
}
