package dev.segments.web;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Large answers handed to the Lambda response event whole. Quarkus' Lambda HTTP adapter
 * (3.33) copies a response body out of Netty one byte at a time into a growing stream, and that
 * stream into a String: for the 3.5 MB list of 15,000 schedules this took more CPU than all of
 * the service's own work for the request (JFR, BigSegmentBenchmark). So each invocation gets a
 * slot, named in a request header only this handler sets; a resource with a large answer leaves
 * it there ({@link #ok}) and answers an empty body, and the handler puts the answer into the
 * response event as the adapter would have (a text body), before {@link GzipResponses}
 * compresses it for callers that accept gzip (taking the answer's own gzip form when it has
 * one, {@link JsonAnswer}). The body stays bytes ({@link BytesBodyResponse}):
 * as a String, the poll loop's Jackson escaped it into the event one char at a time, which in
 * the native image took about a third of a 15,000-user PATCH's CPU (perf).
 */
@Decorator
@Priority(2)
public abstract class WholeAnswers implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The request header naming the slot; any value a caller sent is replaced. */
    static final String SLOT = "x-segments-answer-slot";

    private static final Map<String, JsonAnswer> SLOTS = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    @Any
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String slot = UUID.randomUUID().toString();
        Map<String, String> headers = EventHeaders.without(event.getHeaders(), Set.of(SLOT));
        headers.put(SLOT, slot);
        event.setHeaders(headers);
        try {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
            JsonAnswer answer = SLOTS.remove(slot);
            return response != null && answer != null ? fill(response, answer) : response;
        } finally {
            SLOTS.remove(slot);
        }
    }

    /**
     * A 200 answer of JSON {@code answer}: left in the request's slot when there is one (the
     * response then carries an empty body until the handler fills it), else the body itself.
     */
    public static Response ok(JsonAnswer answer, HttpHeaders request) {
        String slot = request.getHeaderString(SLOT);
        if (slot == null) {
            return Response.ok(ByteBufUtil.getBytes(answer.body()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        SLOTS.put(slot, answer);
        return Response.ok().type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The response with the answer as its text body, kept as the answer's bytes (with its escaped and gzip forms, if it has them). */
    private static APIGatewayV2HTTPResponse fill(APIGatewayV2HTTPResponse response, JsonAnswer answer) {
        ByteBuf body = answer.body();
        Map<String, String> headers = EventHeaders.without(response.getHeaders(), Set.of("content-length"));
        headers.put("Content-Length", Integer.toString(body.readableBytes()));
        response.setHeaders(headers);
        return new BytesBodyResponse(response, answer);
    }
}
