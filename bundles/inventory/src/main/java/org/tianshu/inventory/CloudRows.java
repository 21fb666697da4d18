package org.tianshu.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.persistence.Jdbc;

/**
 * One cloud's rows of an inventory table, brought to a new set with the fewest writes: rows that
 * are new are inserted, changed ones updated, vanished ones deleted, unchanged ones left alone. A
 * sync of an unchanged cloud thus writes nothing (a delete-and-reinsert of 100,000 rows a minute
 * bloats PostgreSQL's tables and spends most of H2's time in commit).
 */
final class CloudRows {
    private final Jdbc jdbc;
    private final String table;
    private final String key;
    private final List<String> columns;

    /** @param columns the columns after {@code cloud_id} and {@code key}, in row order */
    CloudRows(Jdbc jdbc, String table, String key, String... columns) {
        this.jdbc = jdbc;
        this.table = table;
        this.key = key;
        this.columns = List.of(columns);
    }

    /** Counts of what a replace wrote. */
    record Changes(int inserted, int updated, int deleted) {
    }

    /**
     * Makes {@code rows} the cloud's rows; each row is the key followed by the columns. Call inside a
     * transaction.
     */
    Changes replace(String cloudId, List<Object[]> rows) {
        Map<Object, Object[]> stored = new HashMap<>();
        jdbc.query("SELECT " + key + ", " + String.join(", ", columns) + " FROM " + table + " WHERE cloud_id = ?", rs -> {
            Object[] row = new Object[columns.size() + 1];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getObject(i + 1);
            }
            return stored.put(row[0], row);
        }, cloudId);
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Object[] row : rows) {
            Object[] normal = normal(row);
            Object[] old = stored.remove(normal[0]);
            if (old == null) {
                inserts.add(prepend(cloudId, normal));
            } else if (!Arrays.equals(old, normal)) {
                Object[] update = Arrays.copyOf(Arrays.copyOfRange(normal, 1, normal.length), normal.length + 1);
                update[normal.length - 1] = cloudId;
                update[normal.length] = normal[0];
                updates.add(update);
            }
        }
        List<Object[]> deletes = stored.keySet().stream().map(k -> new Object[] {cloudId, k}).toList();
        String placeholders = String.join(", ", Collections.nCopies(columns.size() + 2, "?"));
        jdbc.batch("INSERT INTO " + table + "(cloud_id, " + key + ", " + String.join(", ", columns) + ") VALUES ("
                + placeholders + ")", inserts);
        jdbc.batch("UPDATE " + table + " SET " + String.join(" = ?, ", columns) + " = ? WHERE cloud_id = ? AND " + key
                + " = ?", updates);
        jdbc.batch("DELETE FROM " + table + " WHERE cloud_id = ? AND " + key + " = ?", deletes);
        return new Changes(inserts.size(), updates.size(), deletes.size());
    }

    /** The values as the database hands them back: enums by name. */
    private static Object[] normal(Object[] row) {
        Object[] n = row.clone();
        for (int i = 0; i < n.length; i++) {
            if (n[i] instanceof Enum<?> e) {
                n[i] = e.name();
            }
        }
        return n;
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
