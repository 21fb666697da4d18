package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.function.Supplier;
import org.tianshu.api.TianshuException;
import org.tianshu.api.TianshuException.Kind;

/** Maps fabric8 failures to {@link TianshuException}s that name the field at fault. */
final class Errors {
    private Errors() {
    }

    /** Runs {@code call} against cluster {@code cloudId}, translating client failures. */
    static <T> T call(String cloudId, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw translate(cloudId, what, e);
        }
    }

    static TianshuException translate(String cloudId, String what, KubernetesClientException e) {
        int code = e.getCode();
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : rootMessage(e);
        if (code == 401 || code == 403) {
            return new TianshuException(Kind.INVALID, "credentials", "cluster " + cloudId + " refused the credentials ("
                    + code + ") while trying to " + what + ": " + detail, e);
        }
        if (isIo(e)) {
            return new TianshuException(Kind.UPSTREAM, "endpoint", "cluster " + cloudId + " cannot be reached to "
                    + what + ": " + detail, e);
        }
        if (code == 409) {
            return new TianshuException(Kind.CONFLICT, "name", "cluster " + cloudId + " refused to " + what
                    + " (conflict): " + detail, e);
        }
        if (code == 422 || code == 400) {
            return new TianshuException(Kind.INVALID, null, "cluster " + cloudId + " rejected " + what + ": " + detail, e);
        }
        return new TianshuException(Kind.UPSTREAM, null, "cluster " + cloudId + " failed to " + what + " (HTTP " + code
                + "): " + detail, e);
    }

    private static boolean isIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
