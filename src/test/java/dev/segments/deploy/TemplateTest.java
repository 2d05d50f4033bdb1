package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.segments.dynamo.Table;
import dev.segments.testing.Contract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;

/**
 * template.yaml is valid SAM, and the table and schedule it deploys are the ones the code
 * uses: the same keys, index and TTL attribute as {@link Table#definition}, and the same
 * sweep event as the tests send, so the two cannot drift apart.
 */
class TemplateTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode template() throws IOException {
        return YAML.readTree(Path.of("template.yaml").toFile());
    }

    /** AWS SAM's template schema, the project's own copy (src/test/resources/contracts/). */
    static JsonSchema samSchema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(JSON.readTree(Contract.resource("sam.schema.json")));
    }

    @Test
    void templateIsValidAgainstTheSamSchema() throws IOException {
        Set<ValidationMessage> errors = samSchema().validate(template());
        assertEquals(Set.of(), errors);
    }

    @Test
    void theSchemaCheckCanFail() throws IOException {
        JsonSchema schema = samSchema();
        var broken = (com.fasterxml.jackson.databind.node.ObjectNode) template();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("Resources").get("Function").get("Properties"))
                .put("MemorySise", 128);
        assertTrue(!schema.validate(broken).isEmpty(), "a function with a misspelt property must not validate");
    }

    @Test
    void tableMatchesTheDefinitionTheCodeCreates() throws IOException {
        JsonNode table = template().get("Resources").get("Table");
        assertEquals("AWS::DynamoDB::Table", table.get("Type").asText());
        JsonNode props = table.get("Properties");
        CreateTableRequest code = Table.definition("any");

        assertEquals(code.billingModeAsString(), props.get("BillingMode").asText());
        Map<String, String> attributes = new HashMap<>();
        props.get("AttributeDefinitions").forEach(a -> attributes.put(a.get("AttributeName").asText(), a.get("AttributeType").asText()));
        Map<String, String> codeAttributes = new HashMap<>();
        code.attributeDefinitions().forEach(a -> codeAttributes.put(a.attributeName(), a.attributeTypeAsString()));
        assertEquals(codeAttributes, attributes);
        assertEquals(keys(code.keySchema()), keys(props.get("KeySchema")));

        Map<String, String> indexes = new HashMap<>();
        props.get("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.get("IndexName").asText(),
                keys(i.get("KeySchema")) + " " + i.get("Projection").get("ProjectionType").asText() + " "
                        + i.get("Projection").path("NonKeyAttributes")));
        Map<String, String> codeIndexes = new HashMap<>();
        for (GlobalSecondaryIndex i : code.globalSecondaryIndexes()) {
            codeIndexes.put(i.indexName(), keys(i.keySchema()) + " " + i.projection().projectionTypeAsString() + " "
                    + (i.projection().hasNonKeyAttributes() ? JSON.valueToTree(i.projection().nonKeyAttributes()) : JSON.missingNode()));
        }
        assertEquals(codeIndexes, indexes);

        assertEquals(Table.TTL, props.get("TimeToLiveSpecification").get("AttributeName").asText());
        assertTrue(props.get("TimeToLiveSpecification").get("Enabled").asBoolean());
        assertTrue(props.get("PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled").asBoolean());
        assertTrue(props.get("SSESpecification").get("SSEEnabled").asBoolean());
    }

    @Test
    void scheduleSendsTheSweepEventTheTestsSend() throws IOException {
        JsonNode sweep = template().get("Resources").get("Function").get("Properties").get("Events").get("Sweep").get("Properties");
        assertEquals("rate(1 minute)", sweep.get("Schedule").asText());
        try (InputStream in = TemplateTest.class.getResourceAsStream("/sweep-event.json")) {
            assertEquals(JSON.readTree(in), JSON.readTree(sweep.get("Input").asText()));
        }
    }

    /** A variable the template sets that the configuration never reads would be a setting that does nothing. */
    @Test
    void everyEnvironmentVariableTheTemplateSetsIsReadByTheConfiguration() throws IOException {
        String config = Files.readString(Path.of("src/main/resources/application.properties"));
        JsonNode variables = template().get("Resources").get("Function").get("Properties").get("Environment").get("Variables");
        Set<String> unread = new TreeSet<>();
        // DISABLE_SIGNAL_HANDLERS is read by Quarkus' native runtime itself, as its Lambda guide has it.
        variables.fieldNames().forEachRemaining(name -> {
            if (!config.contains("${" + name + ":") && !config.contains("${" + name + "}") && !name.equals("DISABLE_SIGNAL_HANDLERS")) {
                unread.add(name);
            }
        });
        assertEquals(Set.of(), unread, "set by template.yaml, read nowhere in application.properties");
        assertTrue(variables.has("AUDIT_RETENTION_DAYS"));
    }

    /** API Gateway throttles every route before a request reaches the function, with limits the deployer sets. */
    @Test
    void theApiStageThrottlesEveryRouteWithDeployParameters() throws IOException {
        JsonNode template = template();
        JsonNode route = template.get("Resources").get("HttpApi").get("Properties").get("DefaultRouteSettings");
        assertTrue(route != null, "HttpApi has DefaultRouteSettings");
        for (String[] setting : new String[][] {{"ThrottlingRateLimit", "ThrottlingRateLimit"}, {"ThrottlingBurstLimit", "ThrottlingBurstLimit"}}) {
            assertEquals(setting[1], route.get(setting[0]).get("Ref").asText(), setting[0]);
            JsonNode parameter = template.get("Parameters").get(setting[1]);
            assertEquals("Number", parameter.get("Type").asText());
            assertTrue(parameter.get("Default").asDouble() > 0, setting[1] + " has a positive default");
        }
        assertTrue(template.get("Parameters").has("AuthFailuresPerMinute"));
    }

    /**
     * API Gateway sends the function the API and the console's files, and nothing else: no
     * catch-all that would reach the schedule's {@code POST /internal/sweep}. Every file of the
     * console is under a route, so the deployed console is whole.
     */
    @Test
    void apiGatewayRoutesOnlyTheApiAndTheConsole() throws IOException {
        Set<String> routes = new TreeSet<>();
        template().get("Resources").get("Function").get("Properties").get("Events").forEach(event -> {
            if (event.get("Type").asText().equals("HttpApi")) {
                routes.add(event.get("Properties").get("Method").asText() + " " + event.get("Properties").get("Path").asText());
            }
        });
        assertEquals(Set.of("ANY /api/v2/{proxy+}", "GET /", "GET /console/{proxy+}"), routes);
        for (String route : routes) {
            String path = route.substring(route.indexOf(' ') + 1);
            String prefix = path.replace("{proxy+}", "");
            assertTrue(path.equals("/") || !"/internal/sweep".startsWith(prefix), route + " would reach the sweep");
        }
        Path site = Path.of("src/main/resources/META-INF/resources");
        try (var files = Files.walk(site)) {
            List<String> unrouted = files.filter(Files::isRegularFile).map(f -> site.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.equals("index.html") && !f.startsWith("console/")).toList();
            assertEquals(List.of(), unrouted, "files of the console that no route of the template serves");
        }
    }

    @Test
    void theFunctionMayOnlyTouchItsTableAndIndex() throws IOException {
        JsonNode statements = template().get("Resources").get("Function").get("Properties").get("Policies").get(0).get("Statement");
        Set<String> resources = new TreeSet<>();
        statements.forEach(s -> s.get("Resource").forEach(r -> resources.add(r.toString())));
        assertEquals(Set.of("{\"Fn::GetAtt\":[\"Table\",\"Arn\"]}", "{\"Fn::Sub\":\"${Table.Arn}/index/due\"}",
                "{\"Fn::Sub\":\"${Table.Arn}/index/audit\"}"), resources);
        statements.forEach(s -> s.get("Action").forEach(a -> assertTrue(a.asText().startsWith("dynamodb:") && !a.asText().contains("*"), a.asText())));
    }

    /**
     * The memory sizes chosen from the README's power-tuning table are the ones deployed, and the
     * Build parameter and the README's "Deploy to AWS" state them (the Lambda-shape test in CI
     * runs the function at the template's size).
     */
    @Test
    void theStatedMemorySizesAreTheDeployedOnes() throws IOException {
        JsonNode sizes = template().get("Resources").get("Function").get("Properties").get("MemorySize").get("Fn::If");
        assertEquals("IsNative", sizes.get(0).asText());
        String nativeSize = String.format(java.util.Locale.ROOT, "%,d MB", sizes.get(1).asInt());
        String jvmSize = String.format(java.util.Locale.ROOT, "%,d MB", sizes.get(2).asInt());
        String build = template().get("Parameters").get("Build").get("Description").asText();
        assertTrue(build.contains("provided.al2023, " + nativeSize) && build.contains("java21, " + jvmSize), build);
        String readme = Files.readString(Path.of("README.md"));
        String deploy = readme.substring(readme.indexOf("## Deploy to AWS"));
        assertTrue(deploy.contains("Native (recommended, " + nativeSize), "README, Deploy to AWS: the native size is " + nativeSize);
        assertTrue(deploy.contains("(runtime java21, " + jvmSize + ")"), "README, Deploy to AWS: the JVM size is " + jvmSize);
    }

    private static String keys(Iterable<software.amazon.awssdk.services.dynamodb.model.KeySchemaElement> elements) {
        StringBuilder out = new StringBuilder();
        elements.forEach(e -> out.append(e.attributeName()).append(':').append(e.keyTypeAsString()).append(' '));
        return out.toString().trim();
    }

    private static String keys(JsonNode elements) {
        StringBuilder out = new StringBuilder();
        elements.forEach(e -> out.append(e.get("AttributeName").asText()).append(':').append(e.get("KeyType").asText()).append(' '));
        return out.toString().trim();
    }
}
