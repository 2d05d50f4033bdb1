package dev.segments.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request's deadline is its Lambda invocation's, less the margin, when a real Runtime API
 * gave one; otherwise the configured budget. Quarkus' local event server gives a context with
 * neither a deadline nor a function ARN, whose remaining time is meaningless.
 */
class DeadlinesTest {

    final Deadlines deadlines = new Deadlines(Duration.ofMillis(1500), Duration.ofSeconds(13));

    @Test
    void inLambdaTheInvocationsDeadlineLessTheMargin() {
        long left = deadlines.of(context("arn:aws:lambda:eu-west-1:123456789012:function:segments", 15_000)).remainingMillis();
        assertTrue(left > 13_000 && left <= 13_500, left + " ms");
    }

    @Test
    void withoutARealDeadlineTheBudget() {
        for (Context context : new Context[] {null, context(null, 15_000), context(null, -1_000_000),
                context("arn:aws:lambda:eu-west-1:123456789012:function:segments", Integer.MAX_VALUE)}) {
            long left = deadlines.of(context).remainingMillis();
            assertTrue(left > 12_500 && left <= 13_000, left + " ms");
        }
    }

    @Test
    void aDeadlineAlreadyWithinTheMarginLeavesNoTime() {
        long left = deadlines.of(context("arn:aws:lambda:eu-west-1:123456789012:function:segments", 1_000)).remainingMillis();
        assertTrue(left <= 0, left + " ms");
    }

    static Context context(String arn, int remainingMillis) {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return "request";
            }

            @Override
            public String getLogGroupName() {
                return null;
            }

            @Override
            public String getLogStreamName() {
                return null;
            }

            @Override
            public String getFunctionName() {
                return null;
            }

            @Override
            public String getFunctionVersion() {
                return null;
            }

            @Override
            public String getInvokedFunctionArn() {
                return arn;
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return remainingMillis;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 128;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
