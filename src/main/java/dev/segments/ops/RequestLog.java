package dev.segments.ops;

import static dev.segments.ops.Metrics.Measure.count;
import static dev.segments.ops.Metrics.Measure.millis;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;

/**
 * One line per request, when its response is ready: request id, route template, status,
 * latency, the time it had before its deadline, instructions and failures, the segment version written, store retries and
 * DynamoDB time, as an EMF document (see {@link Metrics}). It holds nothing from the
 * request's headers or body, so never a token.
 */
public class RequestLog {

    private static final Map<Method, String> ROUTES = new ConcurrentHashMap<>();

    @Inject
    RequestRecord record;

    @Inject
    InvocationDeadline deadline;

    @Inject
    Metrics metrics;

    @Inject
    Instance<APIGatewayV2HTTPEvent.RequestContext> gateway;

    @Inject
    Instance<Context> lambda;

    /** Starts the clock before routing and authentication, so their time counts. */
    @ServerRequestFilter(preMatching = true, priority = 1)
    public void start(ContainerRequestContext request) {
        record.started();
    }

    @ServerResponseFilter(priority = 1)
    public void finish(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        double latency = record.millisSinceStart();
        String route = request.getMethod() + " " + route(resource);
        int status = response.getStatus();

        Map<String, Metrics.Measure> measures = new LinkedHashMap<>();
        measures.put("Requests", count(1));
        measures.put("Latency", millis(latency));
        measures.put("Instructions", count(record.instructions()));
        measures.put("FailedInstructions", count(record.failedInstructions()));
        measures.put("WriteRetries", count(record.writeRetries()));
        measures.put("WriteConflicts", count(record.writeConflict() ? 1 : 0));
        measures.put("LostAnswers", count(record.answersLost()));
        measures.put("DynamoDbRequests", count(record.dynamoRequests()));
        measures.put("DynamoDbLatency", millis(record.dynamoMillis()));

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("event", "request");
        requestId().ifPresent(id -> properties.put("requestId", id));
        properties.put("route", route);
        properties.put("status", status);
        properties.put("latencyMs", Math.round(latency * 100) / 100.0);
        properties.put("deadlineMs", deadline.budgetMillis());
        properties.put("instructions", record.instructions());
        properties.put("failedInstructions", record.failedInstructions());
        if (record.versionWritten() > 0) {
            properties.put("segmentVersion", record.versionWritten());
        }
        metrics.emit(DimensionSet.of("Route", route, "Status", Integer.toString(status)), measures, properties);
    }

    /** API Gateway's id of the request (its {@code apigw-requestid} header), else Lambda's. */
    private Optional<String> requestId() {
        try {
            APIGatewayV2HTTPEvent.RequestContext context = gateway.get();
            if (context != null && context.getRequestId() != null) {
                return Optional.of(context.getRequestId());
            }
            Context invocation = lambda.get();
            return Optional.ofNullable(invocation == null ? null : invocation.getAwsRequestId());
        } catch (RuntimeException notFromLambda) {
            return Optional.empty();
        }
    }

    /** The route template of the matched resource method, e.g. {@code /api/v2/segments/{projectKey}/...}. */
    private static String route(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return "unmatched";
        }
        return ROUTES.computeIfAbsent(method, m -> {
            Path type = resource.getResourceClass().getAnnotation(Path.class);
            Path own = m.getAnnotation(Path.class);
            return ((type == null ? "" : type.value()) + (own == null ? "" : "/" + own.value())).replaceAll("/+", "/");
        });
    }
}
