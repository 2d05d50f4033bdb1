package dev.segments.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.dynamo.StoreUnavailable;
import dev.segments.ops.RequestRecord;
import dev.segments.segment.store.AlreadyExists;
import dev.segments.segment.store.TooLarge;
import dev.segments.segment.store.WriteConflict;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Every failure leaves as a {@code {"code","message"}} body; nothing leaks a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client should wait before retrying while the store is unavailable. */
    static final int STORE_RETRY_AFTER = 2;

    public static Response body(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", code);
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response apiError(ApiError error) {
        return body(error.status(), error.code(), error.getMessage());
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimited limited) {
        return Response.fromResponse(body(429, "rate_limited", limited.getMessage()))
                .header("X-Ratelimit-Route-Remaining", 0)
                .header("X-Ratelimit-Reset", limited.resetMillis())
                .header("Retry-After", limited.retryAfterSeconds())
                .build();
    }

    @ServerExceptionMapper
    public Response conflict(WriteConflict conflict) {
        RequestRecord.current().ifPresent(RequestRecord::conflicted);
        return body(409, "optimistic_locking_error", conflict.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailable unavailable) {
        LOG.warnf("Store unavailable: %s", unavailable.getMessage());
        return Response.fromResponse(body(503, "service_unavailable", unavailable.getMessage()))
                .header("Retry-After", STORE_RETRY_AFTER).build();
    }

    @ServerExceptionMapper
    public Response exists(AlreadyExists exists) {
        return body(409, "conflict", exists.getMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(TooLarge tooLarge) {
        return body(400, "invalid_request", tooLarge.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return body(404, "not_found", "There is no such resource. Check the path against the API reference.");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        Response response = body(405, "method_not_allowed",
                "This path does not support this method. Allowed: " + String.join(", ", e.getResponse().getAllowedMethods()) + ".");
        return Response.fromResponse(response).allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return body(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
    }

    @ServerExceptionMapper
    public Response store(SdkException e) {
        if (e instanceof SdkClientException || (e instanceof DynamoDbException dynamo && retryable(dynamo))) {
            LOG.warnf("Store unavailable: %s", e.getMessage());
            // Which of the request's writes, if any, were applied is not known here: claim nothing.
            return Response.fromResponse(body(503, "service_unavailable",
                            "The data store is unavailable or throttling; retry after a short wait."))
                    .header("Retry-After", STORE_RETRY_AFTER).build();
        }
        LOG.error("Store request failed", e);
        return body(500, "internal_error", "The data store rejected a request.");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return body(status, status >= 500 ? "internal_error" : "invalid_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return body(500, "internal_error", "An unexpected error occurred.");
    }

    private static boolean retryable(DynamoDbException e) {
        return e.isThrottlingException() || e.statusCode() >= 500
                || "ProvisionedThroughputExceededException".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode());
    }
}
