package dev.segments.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files come from the function itself, through the Lambda event server as API
 * Gateway's routes deliver them: the page at {@code /}, everything else under {@code /console/},
 * each with the policy that lets the page run only its own scripts. No token is needed for them.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ConsoleResourcesTest {

    static final Path ROOT = Path.of("src/main/resources/META-INF/resources");
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /** Every file of the console under /console/, as a path of the site. */
    static List<String> consoleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("console"))) {
            return files.filter(Files::isRegularFile).map(f -> "/" + ROOT.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void thePageIsServedAtTheRootWithItsPolicyAndWithoutAToken() {
        for (String path : List.of("/", "/index.html")) {
            given().get(path).then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .header("Content-Security-Policy", equalTo(POLICY))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("X-Frame-Options", equalTo("DENY"))
                    .header("Referrer-Policy", equalTo("no-referrer"))
                    .header("Cache-Control", equalTo("no-cache"))
                    .body(containsString("<script type=\"module\" src=\"/console/app.js\"></script>"));
        }
    }

    @Test
    void everyFileOfTheConsoleIsServedWithThePolicy() throws IOException {
        List<String> files = consoleFiles();
        assertFalse(files.isEmpty());
        for (String path : files) {
            String type = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css" : path.endsWith(".svg") ? "image/svg+xml" : "";
            given().get(path).then().statusCode(200).contentType(startsWith(type))
                    .header("Content-Security-Policy", equalTo(POLICY)).header("X-Content-Type-Options", equalTo("nosniff"));
        }
        given().get("/console/missing.js").then().statusCode(404).body(not(containsString("<")));
    }
}
