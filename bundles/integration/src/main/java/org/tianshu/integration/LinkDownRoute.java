package org.tianshu.integration;

import org.apache.camel.builder.RouteBuilder;

/**
 * Route {@value #ID}: a link going down (or up) re-routes the business planes that crossed it and pushes them
 * ({@link LinkDownAction}), publishing what the action reports.
 */
public final class LinkDownRoute extends RouteBuilder {
    /** The route id. */
    public static final String ID = "link-down-reroute";

    private final LinkDownAction action;

    public LinkDownRoute(LinkDownAction action) {
        this.action = action;
    }

    @Override
    public void configure() {
        from(EventComponent.SCHEME + ":" + ID + "?types=LINK_DOWN,LINK_UP").routeId(ID)
                .process(x -> x.getMessage().setBody(action.apply(TianshuRoutes.event(x))))
                .split(body())
                    .to(EventComponent.SCHEME + ":publish")
                .end();
    }
}
