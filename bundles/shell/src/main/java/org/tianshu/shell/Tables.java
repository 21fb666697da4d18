package org.tianshu.shell;

import org.apache.karaf.shell.support.table.ShellTable;

/** The tables commands print: Karaf's {@link ShellTable} with its column titles. */
final class Tables {
    private Tables() {
    }

    /** A table with these column titles; add {@code emptyTableText} for what it prints without rows. */
    static ShellTable of(String... columns) {
        ShellTable table = new ShellTable();
        for (String c : columns) {
            table.column(c);
        }
        return table;
    }
}
