package io.rankops.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * NaN and ±∞ leave the API as JSON null, never as the strings "NaN" / "Infinity" that Jackson
 * writes by default (a browser's number formatting fails on those). Fields that can carry them
 * are documented as nullable in the OpenAPI document.
 */
@Singleton
public class NonFiniteNumbersAsNull implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("rankops-non-finite-as-null");
        JsonSerializer<Double> doubles = new JsonSerializer<>() {
            @Override
            public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
                if (value == null || !Double.isFinite(value)) {
                    out.writeNull();
                } else {
                    out.writeNumber(value);
                }
            }
        };
        JsonSerializer<Float> floats = new JsonSerializer<>() {
            @Override
            public void serialize(Float value, JsonGenerator out, SerializerProvider provider) throws IOException {
                if (value == null || !Float.isFinite(value)) {
                    out.writeNull();
                } else {
                    out.writeNumber(value);
                }
            }
        };
        module.addSerializer(Double.class, doubles);
        module.addSerializer(Double.TYPE, doubles);
        module.addSerializer(Float.class, floats);
        module.addSerializer(Float.TYPE, floats);
        mapper.registerModule(module);
    }
}
