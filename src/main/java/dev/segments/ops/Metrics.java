package dev.segments.ops;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * Writes CloudWatch Embedded Metric Format documents, one JSON line each, to the log category
 * {@value #CATEGORY}: Lambda sends the function's output to CloudWatch Logs, which turns the
 * documents into metrics, and their other fields stay searchable with Logs Insights. Locally
 * the same lines are in the service's log.
 */
@ApplicationScoped
// The library writes its model with Jackson, reflectively: the native image must keep it.
@RegisterForReflection(classNames = {"software.amazon.cloudwatchlogs.emf.model.RootNode",
        "software.amazon.cloudwatchlogs.emf.model.Metadata", "software.amazon.cloudwatchlogs.emf.model.MetricDirective",
        "software.amazon.cloudwatchlogs.emf.model.MetricDefinition", "software.amazon.cloudwatchlogs.emf.model.DimensionSet",
        "software.amazon.cloudwatchlogs.emf.model.Unit", "software.amazon.cloudwatchlogs.emf.model.StorageResolution",
        "software.amazon.cloudwatchlogs.emf.serializers.InstantSerializer", "software.amazon.cloudwatchlogs.emf.serializers.InstantDeserializer",
        "software.amazon.cloudwatchlogs.emf.serializers.UnitSerializer", "software.amazon.cloudwatchlogs.emf.serializers.UnitDeserializer",
        "software.amazon.cloudwatchlogs.emf.serializers.StorageResolutionSerializer",
        "software.amazon.cloudwatchlogs.emf.serializers.StorageResolutionFilter"})
public class Metrics {

    public static final String CATEGORY = "segments.metrics";
    private static final Logger OUT = Logger.getLogger(CATEGORY);

    private final String namespace;
    private final Environment environment = new LogEnvironment();

    Metrics(@ConfigProperty(name = "segments.metrics.namespace") String namespace) {
        this.namespace = namespace;
    }

    /**
     * One document: {@code metrics} (name to value, with its unit) under one set of
     * {@code dimensions}, and {@code properties} for the log reader.
     */
    public void emit(DimensionSet dimensions, Map<String, Measure> metrics, Map<String, Object> properties) {
        MetricsLogger logger = new MetricsLogger(environment);
        try {
            logger.setNamespace(namespace);
            logger.setDimensions(dimensions);
            metrics.forEach((name, measure) -> logger.putMetric(name, measure.value(), measure.unit()));
        } catch (RuntimeException e) {
            // Metrics must never fail a request; the properties below still go out.
            OUT.debugf("Could not record metrics: %s", e.getMessage());
        }
        properties.forEach(logger::putProperty);
        logger.flush();
    }

    public record Measure(double value, Unit unit) {
        public static Measure count(double value) {
            return new Measure(value, Unit.COUNT);
        }

        public static Measure millis(double value) {
            return new Measure(value, Unit.MILLISECONDS);
        }
    }

    /** Where documents go: the log, not the CloudWatch agent the library would look for. */
    private static final class LogEnvironment implements Environment {

        private final ISink sink = new ISink() {
            @Override
            public void accept(MetricsContext context) {
                try {
                    context.serialize().forEach(OUT::info);
                } catch (Exception e) {
                    OUT.warnf("Could not write a metrics document: %s", e.getMessage());
                }
            }

            @Override
            public CompletableFuture<Void> shutdown() {
                return CompletableFuture.completedFuture(null);
            }
        };

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "segment-targets");
        }

        @Override
        public String getType() {
            return "AWS::Lambda::Function";
        }

        @Override
        public String getLogGroupName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", getName());
        }

        @Override
        public void configureContext(MetricsContext context) {
            // The dimensions and properties each document needs are set by its caller.
        }

        @Override
        public ISink getSink() {
            return sink;
        }
    }
}
