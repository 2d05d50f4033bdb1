package dev.segments.project;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Projects and environments: list (paged, filtered, sorted), create, get, JSON Patch; every answer checked against LaunchDarkly's schema. */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
class ProjectApiTest {

    static void createProject(String key, String name, List<String> tags, String... environments) {
        List<Map<String, Object>> envs = new ArrayList<>();
        for (String environment : environments) {
            envs.add(Map.of("key", environment, "name", environment.toUpperCase(), "color", "417505"));
        }
        admin().contentType(ContentType.JSON).body(Map.of("key", key, "name", name, "tags", tags, "environments", envs))
                .post("/api/v2/projects").then().statusCode(201).body("key", equalTo(key));
    }

    /** The project list for the given query parameters, name and value in turn (rest-assured encodes them: + as %2B). */
    static JsonPath projects(String... parameters) {
        var request = admin();
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        return request.get("/api/v2/projects").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void listPagesWithLaunchDarklysLinks() {
        String tag = unique("page");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(unique("lp" + i));
            createProject(keys.get(i), "Project " + i, List.of(tag));
        }
        JsonPath first = projects("filter", "tags:" + tag, "sort", "name", "limit", "2");
        assertEquals(5, first.getInt("totalCount"));
        assertEquals(keys.subList(0, 2), first.getList("items.key"));
        assertEquals("/api/v2/projects?limit=2&offset=2&filter=tags%3A" + tag + "&sort=name", first.getString("_links.next.href"));
        assertEquals("/api/v2/projects?limit=2&offset=4&filter=tags%3A" + tag + "&sort=name", first.getString("_links.last.href"));
        assertNull(first.get("_links.prev"));
        JsonPath last = projects("filter", "tags:" + tag, "sort", "name", "limit", "2", "offset", "4");
        assertEquals(keys.subList(4, 5), last.getList("items.key"));
        assertEquals("/api/v2/projects?limit=2&offset=2&filter=tags%3A" + tag + "&sort=name", last.getString("_links.prev.href"));
        assertNull(last.get("_links.next"));
        admin().get("/api/v2/projects?limit=0").then().statusCode(400).body("code", equalTo("invalid_request"));
        admin().get("/api/v2/projects?limit=101").then().statusCode(400);
        admin().get("/api/v2/projects?offset=-1").then().statusCode(400);
    }

    @Test
    void listFiltersByQueryTagsAndKeysAndSorts() throws InterruptedException {
        String tag = unique("flt");
        String alpha = unique("alpha");
        String beta = unique("beta");
        String gamma = unique("gamma");
        createProject(beta, "Beta", List.of(tag, "web"));
        Thread.sleep(5); // distinct creation dates
        createProject(alpha, "alpha", List.of(tag, "web", "mobile"));
        Thread.sleep(5);
        createProject(gamma, "Gamma", List.of(tag, "mobile"));
        assertEquals(List.of(alpha, beta), projects("filter", "tags:" + tag + "+web", "sort", "name").getList("items.key"));
        assertEquals(List.of(alpha), projects("filter", "tags:" + tag + "+web+mobile").getList("items.key"));
        assertEquals(List.of(gamma), projects("filter", "tags:" + tag + ",query:GAMM").getList("items.key"), "query ignores case");
        assertEquals(List.of(gamma, alpha), projects("filter", "keys:" + alpha + "|" + gamma, "sort", "-name").getList("items.key"));
        assertEquals(List.of(gamma, alpha, beta), projects("filter", "tags:" + tag, "sort", "-createdOn").getList("items.key"));
        admin().get("/api/v2/projects?filter=color:red").then().statusCode(400).body("message", containsString("keys, query, tags"));
        admin().get("/api/v2/projects?sort=key").then().statusCode(400).body("message", containsString("createdOn, name"));
    }

    @Test
    void listExpandsEnvironmentsOnlyWhenAsked() {
        String key = unique("exp");
        createProject(key, "Expand", List.of(), "production", "staging");
        admin().queryParam("filter", "keys:" + key).get("/api/v2/projects").then().statusCode(200)
                .body("items[0]", not(hasKey("environments")));
        admin().queryParam("filter", "keys:" + key).queryParam("expand", "environments").get("/api/v2/projects").then().statusCode(200)
                .body("items[0].environments.items.key", equalTo(List.of("production", "staging")))
                .body("items[0].environments.totalCount", equalTo(2));
        admin().get("/api/v2/projects?expand=flags").then().statusCode(400).body("message", containsString("environments"));
    }

    @Test
    void patchProjectNameAndTagsWithJsonPatch() {
        String key = unique("pp");
        createProject(key, "Before", List.of("a", "b"), "production");
        String path = "/api/v2/projects/" + key;
        admin().contentType(ContentType.JSON).body(List.of(
                        Map.of("op", "replace", "path", "/name", "value", "After"),
                        Map.of("op", "add", "path", "/tags/0", "value", "first"),
                        Map.of("op", "add", "path", "/tags/-", "value", "last"),
                        Map.of("op", "remove", "path", "/tags/2")))
                .patch(path).then().statusCode(200)
                .body("name", equalTo("After"))
                .body("tags", equalTo(List.of("first", "a", "last")))
                .body("environments.key", equalTo(List.of("production")));
        admin().get(path).then().statusCode(200).body("name", equalTo("After")).body("tags", equalTo(List.of("first", "a", "last")));
    }

    @Test
    void aFailedTestOrABadPathChangesNothing() {
        String key = unique("pt");
        createProject(key, "Same", List.of("a"));
        String path = "/api/v2/projects/" + key;
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "Changed"),
                        Map.of("op", "test", "path", "/tags/0", "value", "zzz")))
                .patch(path).then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", containsString("Operation 1 (test /tags/0)"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/key", "value", "other")))
                .patch(path).then().statusCode(400).body("message", containsString("/name, /tags"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "remove", "path", "/name")))
                .patch(path).then().statusCode(400).body("message", containsString("\"name\""));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "move", "from", "/name", "path", "/tags/0")))
                .patch(path).then().statusCode(400).body("message", containsString("not supported"));
        admin().contentType(ContentType.JSON).body(Map.of("patch", List.of(Map.of("op", "add", "path", "/tags/5", "value", "x"))))
                .patch(path).then().statusCode(400).body("message", containsString("past the end"));
        admin().get(path).then().body("name", equalTo("Same")).body("tags", equalTo(List.of("a")));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "x")))
                .patch("/api/v2/projects/" + unique("missing")).then().statusCode(404);
    }

    @Test
    void environmentsListPagedFilteredAndSorted() {
        String key = unique("envs");
        createProject(key, "Envs", List.of(), "a-dev", "b-prod", "c-stage");
        String list = "/api/v2/projects/" + key + "/environments";
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/critical", "value", true),
                Map.of("op", "add", "path", "/tags/-", "value", "live"))).patch(list + "/b-prod").then().statusCode(200);
        admin().get(list).then().statusCode(200).body("items.key", equalTo(List.of("a-dev", "b-prod", "c-stage")))
                .body("totalCount", equalTo(3)).body("_links.self.href", equalTo(list + "?limit=20&offset=0"));
        admin().get(list + "?limit=1&offset=1").then().statusCode(200).body("items.key", equalTo(List.of("b-prod")))
                .body("_links.next.href", equalTo(list + "?limit=1&offset=2"))
                .body("_links.prev.href", equalTo(list + "?limit=1&offset=0"));
        admin().get(list + "?sort=-critical,name").then().body("items.key", equalTo(List.of("b-prod", "a-dev", "c-stage")));
        admin().get(list + "?sort=-name").then().body("items.key", equalTo(List.of("c-stage", "b-prod", "a-dev")));
        admin().get(list + "?filter=query:STAGE").then().body("items.key", equalTo(List.of("c-stage")));
        admin().get(list + "?filter=tags:live").then().body("items.key", equalTo(List.of("b-prod")));
        admin().get(list + "?filter=keys:a-dev").then().statusCode(400).body("message", containsString("query, tags"));
        admin().get("/api/v2/projects/" + unique("none") + "/environments").then().statusCode(404);
    }

    @Test
    void environmentsAreCreatedWithTheirSettingsAndPatched() {
        String key = unique("envp");
        createProject(key, "Env patch", List.of());
        String list = "/api/v2/projects/" + key + "/environments";
        admin().contentType(ContentType.JSON).body(Map.of("key", "test", "name", "Test", "color", "F5A623", "tags", List.of("ops"),
                        "defaultTtl", 5, "requireComments", true))
                .post(list).then().statusCode(201)
                .body("tags", equalTo(List.of("ops"))).body("defaultTtl", equalTo(5)).body("requireComments", equalTo(true))
                .body("critical", equalTo(false));
        admin().contentType(ContentType.JSON).body(List.of(
                        Map.of("op", "test", "path", "/color", "value", "F5A623"),
                        Map.of("op", "replace", "path", "/color", "value", "000000"),
                        Map.of("op", "replace", "path", "/name", "value", "Testing"),
                        Map.of("op", "replace", "path", "/confirmChanges", "value", true),
                        Map.of("op", "test", "path", "/defaultTtl", "value", 5.0),
                        Map.of("op", "remove", "path", "/tags/0")))
                .patch(list + "/test").then().statusCode(200)
                .body("color", equalTo("000000")).body("name", equalTo("Testing")).body("confirmChanges", equalTo(true))
                .body("tags", equalTo(List.of())).body("key", equalTo("test"));
        String id = admin().get(list + "/test").then().statusCode(200).body("name", equalTo("Testing")).extract().path("_id");
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/color", "value", "red")))
                .patch(list + "/test").then().statusCode(400).body("message", containsString("six hexadecimal digits"));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/_id", "value", "x")))
                .patch(list + "/test").then().statusCode(400);
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/secureMode", "value", "yes")))
                .patch(list + "/test").then().statusCode(400).body("message", containsString("true or false"));
        admin().get(list + "/test").then().body("color", equalTo("000000")).body("_id", equalTo(id));
        admin().contentType(ContentType.JSON).body(List.of(Map.of("op", "replace", "path", "/name", "value", "x")))
                .patch(list + "/nope").then().statusCode(404).body("message", containsString("Environment \"nope\""));
        admin().contentType(ContentType.JSON).body(Map.of("key", "copy", "name", "Copy", "color", "000000",
                "source", Map.of("key", "test"))).post(list).then().statusCode(400).body("message", containsString("source"));
    }

    @Test
    void getProjectShowsEnvironmentsAndRefusesUnknownExpansions() {
        String key = unique("gp");
        createProject(key, "Get", List.of(), "production");
        admin().get("/api/v2/projects/" + key + "?expand=environments").then().statusCode(200)
                .body("environments.items.key", equalTo(List.of("production")))
                .body("environments.items[0].tags", equalTo(List.of()))
                .body("defaultClientSideAvailability", nullValue());
        admin().get("/api/v2/projects/" + key + "?expand=everything").then().statusCode(400);
    }
}
