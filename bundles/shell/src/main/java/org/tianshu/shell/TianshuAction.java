package org.tianshu.shell;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.audit.AuditService;

/**
 * Base of the {@code tianshu:*} commands: resolves the caller, audits mutating calls, and turns a
 * {@link TianshuException} into a one-line message naming the field, never a stack trace.
 */
abstract class TianshuAction implements Action {
    @Reference
    AuditService audit;

    /** Set by tests; the session's JAAS subject otherwise. */
    Caller caller;
    /** Set by tests; {@code System.out}, which Karaf routes to the session, otherwise. */
    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        try {
            run();
            return null;
        } catch (TianshuException e) {
            String message = message(e);
            throw new CommandException(message, message);
        }
    }

    /** The command's work. */
    abstract void run() throws Exception;

    Caller caller() {
        return caller != null ? caller : ShellCaller.current();
    }

    PrintStream out() {
        return out != null ? out : System.out;
    }

    /** Runs a mutating call and records it in the audit log, outcome {@code ok} or the error kind. */
    <T> T audited(String action, String target, Supplier<T> call) {
        Caller who = caller();
        try {
            T result = call.get();
            audit.record(who, action, target, "ok", null);
            return result;
        } catch (TianshuException e) {
            audit.record(who, action, target, e.kind().name(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.record(who, action, target, "ERROR", String.valueOf(e));
            throw e;
        }
    }

    /** Like {@link #audited(String, String, Supplier)} for calls without a result. */
    void audited(String action, String target, Runnable call) {
        audited(action, target, () -> {
            call.run();
            return null;
        });
    }

    /** One line: {@code Error (NOT_FOUND, field cloud): cloud 'x' does not exist}. */
    static String message(TianshuException e) {
        String where = e.field() == null ? "" : ", field " + e.field();
        String text = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return "Error (" + e.kind() + where + "): " + text;
    }

    /** {@code null} as {@code -} for tables. */
    static Object dash(Object value) {
        return value == null ? "-" : value;
    }
}
