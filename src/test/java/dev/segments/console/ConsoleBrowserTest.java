package dev.segments.console;

import static dev.segments.testing.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (headless Chromium) against the service as the API tests run it:
 * the Lambda event server over HTTP, on dynalite. Each test signs in through the form as a person
 * would. Run with {@code ./mvnw verify -Pconsole}.
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
@Tag("console")
class ConsoleBrowserTest {

    static final long DAY = 24 * 3600_000L;
    /** Screenshots go to target/ unless -Dconsole.screenshots names a folder (docs, for the README). */
    static final Path SHOTS = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));

    static final ObjectMapper JSON = new ObjectMapper();

    static Browser browser;

    /** One browser for the class, started once Quarkus has set RestAssured's port to the event server's. */
    @BeforeEach
    void startBrowser() {
        if (browser == null) {
            browser = new Browser("http://localhost:" + RestAssured.port);
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    static String token(String name, String role) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", name, "role", role))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
    }

    /** Signs in through the form, from a fresh page. */
    static void signIn(String token) {
        browser.open("/");
        browser.script("sessionStorage.clear();");
        browser.open("/");
        WebElement input = browser.awaitVisible(By.id("token"));
        input.sendKeys(token);
        browser.driver.findElement(By.id("sign-in")).click();
        browser.awaitVisible(By.id("sign-out"));
    }

    static String route(Fixture f) {
        return "/#/projects/" + f.project() + "/environments/" + f.environment() + "/segments/" + f.segment();
    }

    /** Opens the segment's page and waits for its targets. */
    static void openSegment(Fixture f) {
        browser.open(route(f));
        browser.awaitVisible(By.id("target-status"));
    }

    static WebElement row(String key) {
        return browser.await("the row of " + key, d -> d.findElements(By.cssSelector("#target-rows tr.target")).stream()
                .filter(r -> key.equals(Browser.textContent(r.findElement(By.cssSelector(".key-cell bdi.key"))))).findFirst().orElse(null));
    }

    static void schedule(Fixture f, String user, long at) {
        Api.patchExpiring(f, Api.add(user, at)).then().statusCode(200).body("failedInstructions", org.hamcrest.Matchers.equalTo(0));
    }

    /** As the console writes UTC: 2030-01-15 10:00 UTC, with seconds only when there are some. */
    static String utc(long at) {
        Instant instant = Instant.ofEpochMilli(at);
        String text = instant.toString().replace('T', ' ');
        return (instant.getEpochSecond() % 60 == 0 && instant.getNano() == 0 ? text.substring(0, 16) : text.substring(0, 19)) + " UTC";
    }

    /** A body as UTF-8 bytes: for a media type without a charset, RestAssured would send ISO-8859-1. */
    static byte[] utf8(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> schedules(Fixture f) {
        JsonPath items = admin().get(f.expiringPath()).then().statusCode(200).extract().jsonPath();
        Map<String, Long> dates = new HashMap<>();
        List<String> users = items.getList("items.userKey");
        List<Long> values = items.getList("items.expirationDate", Long.class);
        for (int i = 0; i < users.size(); i++) {
            dates.put(users.get(i), values.get(i));
        }
        return dates;
    }

    @Test
    void schedulingRemovalsAppliesThemAsOneRequestThroughTheApi() {
        Fixture f = Api.segmentWithUsers("alice", "bob", "carol");
        long now = System.currentTimeMillis();
        schedule(f, "bob", now + 10 * DAY);
        schedule(f, "carol", now + 3 * DAY + 2 * 3600_000L);
        long versionBefore = Api.version(f);
        signIn(token("console-writer", "writer"));
        openSegment(f);

        // carol: her removal in the viewer's zone, in UTC, and from now.
        WebElement carol = row("carol");
        long carolAt = schedules(f).get("carol");
        assertEquals("in 3 days", carol.findElement(By.className("removal-relative")).getText());
        assertEquals(utc(carolAt), carol.findElement(By.className("removal-utc")).getText());
        assertTrue(carol.findElement(By.className("removal-local")).getText().contains("GMT+5:30"),
                carol.findElement(By.className("removal-local")).getText());

        // alice: a new removal picked for 15 January 2030, 15:30 in Kolkata, that is 10:00 UTC.
        row("alice").findElement(By.className("edit")).click();
        browser.setValue(browser.awaitVisible(By.cssSelector("tr.editor input.removal-input")), "2030-01-15T15:30");
        browser.awaitText(By.cssSelector("tr.editor .preview"), "2030-01-15 10:00 UTC");
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        browser.awaitText(By.id("pending"), "1 change to apply");

        // bob: his removal moved a week from now with the picker's shortcut.
        long beforeMove = System.currentTimeMillis();
        row("bob").findElement(By.className("edit")).click();
        browser.awaitVisible(By.xpath("//tr[contains(@class,'editor')]//button[contains(., '+7 days')]")).click();
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        browser.awaitText(By.id("pending"), "2 changes to apply");
        assertTrue(row("alice").getText().contains("Pending: remove on"), row("alice").getText());

        browser.driver.findElement(By.id("change-comment")).sendKeys("Trial ends");
        browser.driver.findElement(By.id("apply-changes")).click();
        browser.awaitText(By.id("apply-outcome"), "All 2 changes were applied");
        long afterMove = System.currentTimeMillis();

        Map<String, Long> dates = schedules(f);
        assertEquals(Instant.parse("2030-01-15T10:00:00Z").toEpochMilli(), dates.get("alice"));
        assertTrue(dates.get("bob") >= beforeMove + 7 * DAY - 60_000 && dates.get("bob") <= afterMove + 7 * DAY + 60_000,
                "bob moved a week ahead: " + Instant.ofEpochMilli(dates.get("bob")));
        assertEquals(carolAt, dates.get("carol"));
        assertEquals(versionBefore + 1, Api.version(f), "both changes are one change of the segment");
        assertEquals("2030-01-15 10:00 UTC", row("alice").findElement(By.className("removal-utc")).getText());
        assertTrue(row("alice").findElement(By.className("removal-local")).getText().contains("03:30"),
                row("alice").findElement(By.className("removal-local")).getText());
        assertTrue(browser.driver.findElements(By.cssSelector("#target-rows tr.changed")).isEmpty(), "nothing is left pending");

        JsonPath entry = admin().queryParam("spec", "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment())
                .get("/api/v2/auditlog").then().statusCode(200).extract().jsonPath();
        assertEquals("Trial ends", entry.getString("items[0].comment"));
        assertEquals("console-writer", entry.getString("items[0].token.name"));

        // The audit log in the console: newest first, with author, comment and what changed.
        browser.driver.findElement(By.id("tab-audit")).click();
        WebElement newest = browser.awaitVisible(By.cssSelector("#audit-entries li.audit-entry"));
        assertTrue(newest.findElement(By.className("author")).getText().equals("console-writer"), newest.getText());
        assertEquals("Trial ends", newest.findElement(By.className("comment")).getText());
        assertTrue(newest.getText().contains("\"alice\""), newest.getText());
    }

    @Test
    void anInstructionsErrorShowsNextToItsUserAndTheOthersApply() {
        Fixture f = Api.segmentWithUsers("dave", "erin", "frank");
        long now = System.currentTimeMillis();
        schedule(f, "dave", now + 5 * DAY);
        signIn(token("console-writer-2", "writer"));
        openSegment(f);

        row("erin").findElement(By.className("edit")).click();
        browser.awaitVisible(By.xpath("//tr[contains(@class,'editor')]//button[contains(., '+1 day')]")).click();
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        row("dave").findElement(By.className("edit")).click();
        browser.awaitVisible(By.xpath("//tr[contains(@class,'editor')]//button[contains(., '+30 days')]")).click();
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        browser.awaitText(By.id("pending"), "2 changes to apply");

        // Meanwhile someone else moves dave's removal: the page's move (instruction 1) now names an old _version.
        Api.patchExpiring(f, Map.of("kind", "updateExpireUserTargetDate", "targetType", "included", "userKey", "dave",
                "value", now + 6 * DAY, "version", Api.version(f))).then().statusCode(200);
        browser.driver.findElement(By.id("apply-changes")).click();
        browser.awaitText(By.id("apply-outcome"), "1 of 2 changes applied; 1 failed");

        WebElement dave = row("dave");
        String message = dave.findElement(By.className("instruction-error")).getText();
        assertTrue(message.contains("dave"), message);
        assertTrue(row("erin").findElements(By.className("instruction-error")).isEmpty(), "the error is next to its own user only");
        assertTrue(schedules(f).containsKey("erin"), "the other change applied");
        assertEquals(now + 6 * DAY, schedules(f).get("dave"), "the failed move changed nothing");
        assertTrue(browser.driver.findElement(By.id("pending")).getText().contains(message), "the failure stays staged, with its message");
        assertEquals(utc(now + 6 * DAY), dave.findElement(By.className("removal-utc")).getText(), "the page shows the schedule as it is now");
    }

    static final String SCRIPT = "<script>window.__pwned = 1</script>";
    static final String IMAGE = "<img src=x onerror=\"window.__pwned = 2\">";
    static final List<String> HOSTILE = List.of(SCRIPT, IMAGE, "\"double\" 'single' \\ back`tick`",
            "\u202Egnp.exe", "ctrl\u0001\u0007\u001b[31mred", "zero\u200Bwidth", "\u05D0".repeat(256));

    @Test
    void hostileKeysAndNamesShowAsTextAndRunNothing() {
        Fixture f = Api.segmentWithUsers();
        String name = SCRIPT + " Beta \u202Etesters";
        admin().contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("environmentKey", f.environment(), "instructions", List.of(
                        Map.of("kind", "addIncludedUsers", "values", HOSTILE),
                        Map.of("kind", "updateName", "value", name), Map.of("kind", "updateDescription", "value", IMAGE),
                        Map.of("kind", "addExcludedTargets", "contextKind", "org", "values", List.of(IMAGE + " org"))))))
                .patch(f.segmentPath()).then().statusCode(200);
        long now = System.currentTimeMillis();
        admin().contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("instructions", HOSTILE.stream().map(key -> Api.add(key, now + 2 * DAY)).toList())))
                .patch(f.expiringPath()).then().statusCode(200).body("failedInstructions", org.hamcrest.Matchers.equalTo(0));
        signIn(token("console-hostile", "writer"));
        // Watch for anything the page's policy had to stop: nothing should even try to run.
        browser.script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));");
        browser.script("location.hash = arguments[0];", route(f).substring(2));
        browser.awaitVisible(By.id("target-status"));
        browser.awaitVisible(By.id("next-removal"));

        Set<String> shown = browser.driver.findElements(By.cssSelector("#target-rows .key-cell bdi.key")).stream()
                .map(Browser::textContent).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(HOSTILE);
        expected.add(IMAGE + " org");
        assertEquals(expected, shown, "every key shows exactly as it is");
        assertEquals(name, Browser.textContent(browser.driver.findElement(By.id("segment-name"))));
        assertEquals(IMAGE, Browser.textContent(browser.driver.findElement(By.cssSelector(".segment-head .description"))));
        assertTrue(Browser.textContent(row("\u202Egnp.exe")).contains("\\u{202E}gnp.exe"), "a hidden character is spelt out");
        assertTrue(Browser.textContent(row("ctrl\u0001\u0007\u001b[31mred")).contains("ctrl\\u{1}\\u{7}\\u{1B}[31mred"));

        browser.driver.findElement(By.id("tab-audit")).click();
        browser.awaitVisible(By.cssSelector("#audit-entries li.audit-entry"));
        String log = Browser.textContent(browser.driver.findElement(By.id("audit-entries")));
        assertTrue(log.contains(SCRIPT) && log.contains(IMAGE), log);

        assertEquals(0L, browser.script("return document.querySelectorAll('main script, main img, main iframe').length;"));
        assertNull(browser.script("return window.__pwned;"), "a key ran as script");
        assertEquals(List.of(), browser.script("return window.__violations;"), "the page tried something its policy forbids");
    }

    @Test
    void aReaderSeesEverythingButTheEditingControlsAreOffWithTheReason() {
        Fixture f = Api.segmentWithUsers("grace", "heidi");
        schedule(f, "grace", System.currentTimeMillis() + 4 * DAY);
        signIn(token("console-reader-2", "reader"));
        openSegment(f);
        assertTrue(browser.awaitVisible(By.id("read-only-reason")).getText().contains("role is reader"));
        List<WebElement> controls = browser.driver.findElements(By.cssSelector("#target-rows button.edit, #target-rows button.cancel-removal"));
        assertEquals(3, controls.size(), "Move and Cancel for grace, Schedule for heidi");
        for (WebElement control : controls) {
            assertFalse(control.isEnabled(), control.getText() + " is enabled for a reader");
            assertTrue(control.getDomProperty("title").contains("reader"), control.getDomProperty("title"));
        }
        assertEquals(utc(schedules(f).get("grace")), row("grace").findElement(By.className("removal-utc")).getText());
        browser.awaitVisible(By.id("next-removal"));
        browser.driver.findElement(By.id("tab-audit")).click();
        browser.awaitVisible(By.cssSelector("#audit-entries li.audit-entry"));
    }

    /**
     * The README's pictures of the main pages, from a small realistic project; every run saves
     * them under target/, and -Dconsole.screenshots=docs replaces the README's.
     */
    @Test
    void screenshotsOfTheMainPages() {
        String project = "demo-shop";
        admin().contentType(ContentType.JSON).body(Map.of("key", project, "name", "Demo shop", "tags", List.of("web"), "environments", List.of(
                Map.of("key", "production", "name", "Production", "color", "417505"),
                Map.of("key", "staging", "name", "Staging", "color", "F5A623")))).post("/api/v2/projects").then().statusCode(201);
        String segments = "/api/v2/segments/" + project + "/production";
        for (String[] s : new String[][] {{"beta-testers", "Beta testers", "People trying the new checkout"},
                {"early-access", "Early access", "Customers in the early-access programme"}, {"internal", "Internal staff", "Employees"}}) {
            admin().contentType(ContentType.JSON).body(Map.of("key", s[0], "name", s[1], "description", s[2], "tags", List.of("checkout")))
                    .post(segments).then().statusCode(201);
        }
        Fixture f = new Fixture(project, "production", "beta-testers");
        List<String> users = List.of("ana.silva", "ben.okafor", "chen.wei", "dmitri.ivanov", "emma.jones", "farah.haddad", "gus.lindqvist",
                "hana.sato", "ivan.petrov", "julia.rossi", "kofi.mensah", "lena.meyer", "mateo.garcia", "nora.nilsen", "omar.farouk");
        admin().contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("environmentKey", "production", "instructions", List.of(
                Map.of("kind", "addIncludedUsers", "values", users), Map.of("kind", "addExcludedUsers", "values", List.of("qa-bot")),
                Map.of("kind", "addIncludedTargets", "contextKind", "organization", "values", List.of("acme-corp")))))).patch(f.segmentPath())
                .then().statusCode(200);
        long hour = 3600_000L;
        long base = (System.currentTimeMillis() / hour + 1) * hour;
        List<Object> plan = new ArrayList<>();
        long[] offsets = {5 * hour, 26 * hour, 26 * hour, 50 * hour, 3 * DAY + 4 * hour, 3 * DAY + 4 * hour, 3 * DAY + 4 * hour, 8 * DAY, 15 * DAY, 40 * DAY};
        for (int i = 0; i < offsets.length; i++) {
            plan.add(Api.add(users.get(i), base + offsets[i]));
        }
        admin().contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("comment", "Beta ends in waves", "instructions", plan)))
                .patch(f.expiringPath()).then().statusCode(200);

        browser.open("/");
        browser.script("sessionStorage.clear();");
        browser.open("/");
        browser.awaitVisible(By.id("token"));
        browser.screenshot(SHOTS, "console-sign-in");
        browser.driver.findElement(By.id("token")).sendKeys(token("product-manager", "writer"));
        browser.driver.findElement(By.id("sign-in")).click();
        browser.awaitVisible(By.id("sign-out"));
        WebElement search = browser.awaitVisible(By.id("list-search"));
        search.sendKeys("Demo shop");
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–1 of 1");
        browser.screenshot(SHOTS, "console-projects");
        browser.open("/#/projects/" + project + "/environments/production");
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–3 of 3");
        browser.screenshot(SHOTS, "console-segments");

        openSegment(f);
        browser.awaitVisible(By.id("next-removal"));
        browser.screenshot(SHOTS, "console-segment");

        row("kofi.mensah").findElement(By.className("edit")).click();
        browser.awaitVisible(By.xpath("//tr[contains(@class,'editor')]//button[contains(., '+7 days')]")).click();
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        row("chen.wei").findElement(By.className("cancel-removal")).click();
        row("ben.okafor").findElement(By.className("edit")).click();
        browser.setValue(browser.awaitVisible(By.cssSelector("tr.editor input.removal-input")),
                java.time.LocalDateTime.ofInstant(Instant.ofEpochMilli(base + 6 * DAY), java.time.ZoneId.of(Browser.ZONE)).toString().substring(0, 16));
        browser.driver.findElement(By.cssSelector("tr.editor button.stage")).click();
        browser.driver.findElement(By.id("change-comment")).sendKeys("Kofi joins the second wave; Chen stays");
        browser.awaitText(By.id("pending"), "3 changes to apply");
        browser.screenshot(SHOTS, "console-changes");
        browser.driver.findElement(By.id("apply-changes")).click();
        browser.awaitText(By.id("apply-outcome"), "All 3 changes were applied");

        browser.driver.findElement(By.id("tab-audit")).click();
        browser.awaitVisible(By.cssSelector("#audit-entries li.audit-entry"));
        browser.screenshot(SHOTS, "console-audit");

        signIn(token("support-desk", "reader"));
        openSegment(f);
        browser.awaitVisible(By.id("read-only-reason"));
        browser.screenshot(SHOTS, "console-reader");
    }

    /** The largest segment the service allows: 15,000 users, every one with a scheduled removal (the GETs answer about 5 MB). */
    @Test
    void aSegmentOf15000ScheduledUsersLoadsSearchesPagesAndChanges() {
        Fixture f = Api.segmentWithUsers();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 15_000; i++) {
            users.add(String.format("user-%05d-7c0e4a9b1f3d5e2a8c6b0d4f1e", i));
        }
        // Set up without the contract check, which would validate each multi-megabyte answer.
        RestAssured.given().header("Authorization", Api.ADMIN).contentType(Api.SEMANTIC_PATCH)
                .body(utf8(Map.of("environmentKey", f.environment(), "instructions", List.of(Map.of("kind", "addIncludedUsers", "values", users)))))
                .patch(f.segmentPath()).then().statusCode(200);
        long now = System.currentTimeMillis();
        for (int from = 0; from < users.size(); from += 250) {
            List<Object> instructions = new ArrayList<>();
            for (int i = from; i < from + 250; i++) {
                instructions.add(Api.add(users.get(i), now + (1 + i % 30) * DAY + (i % 24) * 3600_000L));
            }
            RestAssured.given().header("Authorization", Api.ADMIN).contentType(Api.SEMANTIC_PATCH)
                    .body(utf8(Map.of("instructions", instructions))).patch(f.expiringPath()).then().statusCode(200);
        }
        signIn(token("console-big", "writer"));

        long started = System.nanoTime();
        browser.open(route(f));
        browser.awaitText(By.id("target-status"), "Showing 1–50 of 15,000");
        long loaded = System.nanoTime();
        assertEquals(50, browser.driver.findElements(By.cssSelector("#target-rows tr.target")).size(), "one page of rows, not 15,000");
        assertEquals("15,000", browser.driver.findElement(By.cssSelector("#count-scheduled .card-value")).getText());
        assertEquals(14, browser.driver.findElements(By.cssSelector("#timeline li.day")).size(), "the timeline shows the first 14 days");

        String wanted = users.get(7_777);
        WebElement search = browser.driver.findElement(By.id("target-search"));
        search.sendKeys("user-07777");
        browser.awaitText(By.id("target-status"), "Showing 1–1 of 1 matching");
        long searched = System.nanoTime();
        assertEquals(utc(now + (1 + 7_777 % 30) * DAY + (7_777 % 24) * 3600_000L), row(wanted).findElement(By.className("removal-utc")).getText());

        search.clear();
        search.sendKeys(" ");
        search.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        browser.awaitText(By.id("target-status"), "Showing 1–50 of 15,000");
        browser.driver.findElement(By.cssSelector("#target-pager .page-last")).click();
        browser.awaitText(By.id("target-status"), "Showing 14,951–15,000 of 15,000");
        assertEquals("Page 300 of 300", browser.driver.findElement(By.cssSelector("#target-pager .page-of")).getText());
        browser.driver.findElement(By.cssSelector("#target-pager .page-prev")).click();
        browser.awaitText(By.id("target-status"), "Showing 14,901–14,950 of 15,000");
        long paged = System.nanoTime();

        // A change on the big segment goes through as on a small one.
        String last = users.get(14_901);
        row(last).findElement(By.className("cancel-removal")).click();
        browser.driver.findElement(By.id("apply-changes")).click();
        browser.awaitText(By.id("apply-outcome"), "The change was applied");
        long applied = System.nanoTime();
        assertFalse(schedules(f).containsKey(last));
        assertEquals("14,999", browser.driver.findElement(By.cssSelector("#count-scheduled .card-value")).getText());
        System.out.printf("15,000-user segment in the console: loaded in %d ms, searched in %d ms, paged in %d ms, a cancel applied in %d ms%n",
                (loaded - started) / 1_000_000, (searched - loaded) / 1_000_000, (paged - searched) / 1_000_000, (applied - paged) / 1_000_000);
    }

    @Test
    void navigatingFromProjectsToEnvironmentsToSegmentsWithSearchAndPages() {
        String project = Api.unique("nav");
        String name = "Navigation " + project;
        admin().contentType(ContentType.JSON).body(Map.of("key", project, "name", name, "environments", List.of(
                Map.of("key", "production", "name", "Production", "color", "417505"),
                Map.of("key", "staging", "name", "Staging", "color", "F5A623")))).post("/api/v2/projects").then().statusCode(201);
        for (int i = 0; i < 25; i++) {
            admin().contentType(ContentType.JSON).body(Map.of("key", String.format("seg-%02d", i), "name", i == 17 ? "Special offer" : "Segment " + i))
                    .post("/api/v2/segments/" + project + "/staging").then().statusCode(201);
        }
        signIn(token("console-navigator", "reader"));
        browser.awaitVisible(By.id("list-search")).sendKeys(name);
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–1 of 1");
        browser.driver.findElement(By.cssSelector("a.project-link")).click();

        browser.awaitText(By.cssSelector(".list h1"), "Environments of " + name);
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–2 of 2");
        browser.driver.findElements(By.cssSelector("a.environment-link")).stream().filter(a -> a.getText().equals("Staging")).findFirst()
                .orElseThrow().click();

        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–20 of 25");
        assertEquals(20, browser.driver.findElements(By.cssSelector("a.segment-link")).size());
        browser.driver.findElement(By.cssSelector(".pager .page-next")).click();
        browser.awaitText(By.cssSelector(".list .status"), "Showing 21–25 of 25");
        browser.driver.findElement(By.id("list-search")).sendKeys("special");
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–1 of 1");
        browser.driver.findElement(By.cssSelector("a.segment-link")).click();
        browser.awaitText(By.id("segment-name"), "Special offer");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/environments/staging/segments/seg-17"), browser.driver.getCurrentUrl());
        assertEquals(List.of("Projects", name, "Staging", "Special offer"),
                browser.driver.findElements(By.cssSelector("#crumbs a, #crumbs span[aria-current]")).stream().map(WebElement::getText).toList());

        // Back in the browser's history: the search is kept in the address.
        browser.driver.navigate().back();
        browser.awaitText(By.cssSelector(".list .status"), "Showing 1–1 of 1");
        assertEquals("special", browser.driver.findElement(By.id("list-search")).getDomProperty("value"));
    }

    @Test
    void signingInKeepsTheTokenInThisTabOnlyAndSigningOutForgetsIt() throws IOException {
        String token = token("console-reader", "reader");
        browser.open("/");
        browser.script("sessionStorage.clear();");
        browser.open("/#/");
        WebElement input = browser.awaitVisible(By.id("token"));
        input.sendKeys("api-0badc0de-0000-4000-8000-00000000beef");
        browser.driver.findElement(By.id("sign-in")).click();
        browser.awaitText(By.id("sign-in-error"), "does not accept this token");
        assertNull(browser.script("return sessionStorage.getItem('segment-targets.token');"), "a refused token is not kept");

        input.clear();
        input.sendKeys(token);
        browser.driver.findElement(By.id("sign-in")).click();
        browser.awaitText(By.id("who"), "console-reader");
        browser.awaitText(By.cssSelector("h1"), "Projects");
        assertEquals(token, browser.script("return sessionStorage.getItem('segment-targets.token');"));
        assertEquals("", browser.script("return document.cookie;"));
        assertEquals(0L, browser.script("return localStorage.length;"));
        assertFalse(browser.driver.getCurrentUrl().contains(token.substring(4)), "the token is never in the address");
        assertTrue(browser.driver.findElements(By.id("token")).isEmpty(), "the form is gone");

        // A reload keeps the session (the tab's storage), and learns the token's identity again.
        browser.driver.navigate().refresh();
        browser.awaitText(By.id("who"), "reader");

        browser.driver.findElement(By.id("sign-out")).click();
        browser.awaitVisible(By.id("token"));
        browser.awaitText(By.id("notice"), "Signed out");
        assertNull(browser.script("return sessionStorage.getItem('segment-targets.token');"), "signing out forgets the token");
        for (Object entry : (List<?>) browser.script("return performance.getEntriesByType('resource').map(e => e.name);")) {
            assertFalse(entry.toString().contains(token.substring(4)), "a request carried the token in its address: " + entry);
        }
        String logs = Files.readString(Path.of("target", "service-test.log")) + Files.readString(Path.of("target", "metrics-test.log"));
        assertTrue(logs.contains("GET /api/v2/caller-identity"), "the console's requests are in the request lines searched");
        assertFalse(logs.contains(token.substring(4)), "the token reached the service's log");
    }
}
