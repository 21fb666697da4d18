package org.tianshu.api.integration;

import java.util.List;
import org.tianshu.api.Caller;

/** The dead letters of outbound webhooks; operators only (FORBIDDEN otherwise). */
public interface WebhookService {
    /** Dead letters, oldest first. */
    List<DeadLetter> deadLetters(Caller caller);

    /**
     * Posts a dead letter again, once, to the url it failed on. On success it is removed and true returned; on failure
     * it stays with its attempts and last error updated and false is returned. NOT_FOUND naming {@code id}.
     */
    boolean replay(long id, Caller caller);
}
