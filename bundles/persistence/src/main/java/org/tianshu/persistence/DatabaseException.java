package org.tianshu.persistence;

import java.sql.SQLException;

/** An unexpected database failure (constraint violations the caller anticipates are checked first). */
public class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
