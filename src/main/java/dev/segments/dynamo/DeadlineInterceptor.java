package dev.segments.dynamo;

import dev.segments.ops.Deadline;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Bounds every DynamoDB call, the SDK's own retries and their pauses included, by the
 * deadline of the work it belongs to ({@link Deadline#current()}): its call timeout becomes
 * the time left, for a write less {@link Deadline#WRITE_RESERVE}, so that a write whose answer
 * is lost still leaves time to read back whether it was applied. Where the configured call
 * timeout is shorter, it stays.
 */
public class DeadlineInterceptor implements ExecutionInterceptor {

    private static volatile Long configuredMillis;

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        Optional<Deadline> deadline = Deadline.current();
        if (deadline.isEmpty() || !(context.request() instanceof DynamoDbRequest request)) {
            return context.request();
        }
        long left = deadline.get().remainingMillis() - (isWrite(request) ? Deadline.WRITE_RESERVE.toMillis() : 0);
        if (left >= configuredMillis()) {
            return request;
        }
        AwsRequestOverrideConfiguration.Builder override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder);
        return request.toBuilder().overrideConfiguration(override.apiCallTimeout(Duration.ofMillis(Math.max(1, left))).build()).build();
    }

    private static boolean isWrite(DynamoDbRequest request) {
        return request instanceof PutItemRequest || request instanceof UpdateItemRequest || request instanceof DeleteItemRequest
                || request instanceof BatchWriteItemRequest;
    }

    private static long configuredMillis() {
        Long millis = configuredMillis;
        if (millis == null) {
            millis = ConfigProvider.getConfig().getOptionalValue("quarkus.dynamodb.api-call-timeout", Duration.class)
                    .map(Duration::toMillis).orElse(Long.MAX_VALUE);
            configuredMillis = millis;
        }
        return millis;
    }
}
