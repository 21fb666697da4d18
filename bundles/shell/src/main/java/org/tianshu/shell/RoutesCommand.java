package org.tianshu.shell;

import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.integration.RouteService;
import org.tianshu.api.integration.RouteStatus;

/** {@code tianshu:routes}: the integration routes and the refused route files. */
@Command(scope = "tianshu", name = "routes", description = "Lists the integration routes and the route files in etc/routes that were refused")
@Service
public class RoutesCommand extends TianshuAction {
    @Reference
    RouteService routes;

    @Override
    void run() {
        ShellTable table = Tables.of("ROUTE", "STATE", "SOURCE").emptyTableText("No routes");
        for (RouteStatus r : routes.routes(caller())) {
            table.addRow().addContent(r.id(), r.state(), r.source());
        }
        table.print(out());
        Map<String, String> refused = routes.refusedFiles(caller());
        refused.forEach((file, why) -> out().printf("Refused %s: %s%n", file, why));
    }
}
