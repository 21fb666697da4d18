package org.tianshu.planes;

import java.util.List;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.Topology;

/** A controller that applies for real and then takes the runtime down, as a kill -9 right after a push would. */
final class CrashAfterApply implements NetworkController {
    /** Not an Exception: nothing in the runtime catches it, as nothing runs after a kill. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    private final NetworkController real;
    private final PlaneRealisation[] pushed;

    CrashAfterApply(NetworkController real, PlaneRealisation[] pushed) {
        this.real = real;
        this.pushed = pushed;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public Topology topology() {
        return real.topology();
    }

    @Override
    public List<Attachment> attachments() {
        return real.attachments();
    }

    @Override
    public void apply(PlaneRealisation plane) {
        real.apply(plane);
        pushed[0] = plane;
        throw new Crash();
    }

    @Override
    public void remove(String plane) {
        real.remove(plane);
    }

    @Override
    public List<PlaneRealisation> realised() {
        return real.realised();
    }
}
