package io.rankops.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The web UI's API types are generated from a committed snapshot of this API's OpenAPI document
 * (web-ui/src/api/openapi.json, web-ui/README.md "API types"); this test fails when the snapshot is
 * not the document the API serves, so a change to the API cannot leave the UI's types behind.
 */
@QuarkusTest
class OpenApiSnapshotTest {

    /** Maven runs the tests with the module (services/api) as working directory. */
    static final Path SNAPSHOT = Path.of("").toAbsolutePath().resolve("../../web-ui/src/api/openapi.json").normalize();

    static final String REFRESH = """
            web-ui/src/api/openapi.json is not the OpenAPI document this API serves. Refresh it and \
            the web UI's types from the repository root: ./rankops restart api, then \
            cd web-ui && curl -fsS 'http://127.0.0.1:8080/q/openapi?format=json' -o src/api/openapi.json \
            && npm run gen:api; fix what npx tsc --noEmit then reports in the web UI, and commit \
            openapi.json and schema.ts with the API change.""";

    @Test
    void theWebUiSnapshotIsTheServedDocument() throws IOException {
        assertTrue(Files.isRegularFile(SNAPSHOT), "no snapshot at " + SNAPSHOT + ". " + REFRESH);
        ObjectMapper json = new ObjectMapper();
        JsonNode served = json.readTree(given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        JsonNode committed = json.readTree(SNAPSHOT.toFile());

        assertTrue(committed.equals(served), () -> REFRESH + " First difference: " + firstDifference(committed, served, ""));
    }

    /** Where two different documents first differ, as a JSON pointer and what each has there. */
    static String firstDifference(JsonNode snapshot, JsonNode served, String pointer) {
        if (snapshot.isObject() && served.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            snapshot.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!snapshot.has(name)) {
                    return at + " is only in the served document";
                }
                if (!served.has(name)) {
                    return at + " is only in the snapshot";
                }
                if (!snapshot.get(name).equals(served.get(name))) {
                    return firstDifference(snapshot.get(name), served.get(name), at);
                }
            }
        }
        if (snapshot.isArray() && served.isArray() && snapshot.size() == served.size()) {
            Iterator<JsonNode> left = snapshot.elements();
            Iterator<JsonNode> right = served.elements();
            for (int i = 0; left.hasNext(); i++) {
                JsonNode a = left.next();
                JsonNode b = right.next();
                if (!a.equals(b)) {
                    return firstDifference(a, b, pointer + "/" + i);
                }
            }
        }
        return (pointer.isEmpty() ? "/" : pointer) + ": the snapshot has " + brief(snapshot) + ", the API serves "
                + brief(served);
    }

    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
