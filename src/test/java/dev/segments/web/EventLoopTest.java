package dev.segments.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.Test;

/**
 * Each invocation's HTTP connection runs on one event loop. Quarkus' Lambda adapter serves an
 * invocation on a virtual channel registered on one loop of Vert.x's group and gives its
 * connection a context on the next loop, so with more than one loop the connection's state
 * (which request's response is in progress) was read on one thread while another wrote it: a
 * response of more than 64 KB, whose writability change is handled on the channel's loop while
 * its completion runs on the context's, now and then found that state gone (a
 * NullPointerException), the connection was closed, and the adapter answered its own 500.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class EventLoopTest {

    @Test
    void everyInvocationIsServedOnTheLoopItsChannelIsRegisteredOn() {
        for (int i = 0; i < 8; i++) {
            assertEquals("one loop", RestAssured.get(LoopProbe.PATH).then().statusCode(200).extract().asString(),
                    "invocation " + i);
        }
    }

    /** A route for this test alone: answers whether its connection's context and channel share a loop. */
    @ApplicationScoped
    static class LoopProbe {
        static final String PATH = "/test-only/event-loop";

        void route(@Observes Router router) {
            router.get(PATH).handler(rc -> {
                Http1xServerConnection connection = (Http1xServerConnection) rc.request().connection();
                boolean same = connection.channel().eventLoop() == connection.getContext().nettyEventLoop();
                rc.response().end(same ? "one loop" : "channel on " + connection.channel().eventLoop()
                        + ", context on " + connection.getContext().nettyEventLoop());
            });
        }
    }
}
