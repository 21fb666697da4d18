package org.tianshu.api.plane;

import java.util.List;
import org.tianshu.api.Caller;

/** Read side of business planes: operators see every plane, a department user the planes its department owns. */
public interface PlaneService {
    /** The planes the caller may see, by name. */
    List<Plane> list(Caller caller);

    /** One plane; NOT_FOUND naming {@code name}, also when the caller may not see it. */
    Plane get(String name, Caller caller);

    /** The plane's state and whether the network (read back through the controller) carries it as planned. */
    PlaneStatus status(String name, Caller caller);
}
