package org.tianshu.api.integration;

import java.util.List;
import java.util.Map;
import org.tianshu.api.Caller;

/** The integration routes that run, and the operators' route files that were refused; operators only. */
public interface RouteService {
    /** Every route, built-in ones first. */
    List<RouteStatus> routes(Caller caller);

    /** Refused route files with the reason, by file path. */
    Map<String, String> refusedFiles(Caller caller);
}
