package org.tianshu.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.audit.AuditEvent;

/** {@code tianshu:audit}: the latest audit events. */
@Command(scope = "tianshu", name = "audit", description = "Shows the latest audit events, newest first")
@Service
public class AuditCommand extends TianshuAction {
    @Option(name = "--limit", aliases = "-n", description = "How many events (default 20)")
    int limit = 20;

    @Override
    void run() {
        Caller who = caller();
        who.checkOperator();
        ShellTable table = Tables.of("ID", "AT", "WHO", "ACTION", "TARGET", "OUTCOME", "DETAIL")
                .emptyTableText("No audit events");
        for (AuditEvent e : audit.recent(limit, who)) {
            table.addRow().addContent(e.id(), e.at(), e.principal(), e.action(), e.target(), e.outcome(),
                    dash(e.detail()));
        }
        table.print(out());
    }
}
