package io.rankops.ranker.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** The ranker's admin API as the worker calls it, with the credential the test profile configures. */
public final class RankerAdmin {

    public static String user() {
        return ConfigProvider.getConfig().getValue("rankops.ranker.admin-user", String.class);
    }

    public static String password() {
        return ConfigProvider.getConfig().getValue("rankops.ranker.admin-password", String.class);
    }

    public static RequestSpecification request() {
        return given().auth().preemptive().basic(user(), password());
    }

    public static void reload() {
        request().post("/admin/models/reload").then().statusCode(200);
    }

    public static void split(String candidateVersion, double percent) {
        request().contentType(ContentType.JSON).body(Map.of("candidateVersion", candidateVersion, "candidatePercent", percent))
                .put("/admin/traffic").then().statusCode(200);
    }

    private RankerAdmin() {
    }
}
