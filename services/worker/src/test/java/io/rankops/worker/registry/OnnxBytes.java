package io.rankops.worker.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-encoded protobuf for tests: the smallest ModelProto shape the artifact check accepts. */
final class OnnxBytes {

    /** ir_version 8, producer_name, graph {name: "g"}, opset_import {version: 17}. */
    static byte[] minimalModel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x08); // field 1 (ir_version), varint
        out.write(8);
        lengthDelimited(out, 2, "rankops-test".getBytes(StandardCharsets.UTF_8)); // producer_name
        lengthDelimited(out, 7, new byte[] {0x12, 0x01, 'g'}); // graph { name: "g" }
        lengthDelimited(out, 8, new byte[] {0x10, 0x11}); // opset_import { version: 17 }
        return out.toByteArray();
    }

    private static void lengthDelimited(ByteArrayOutputStream out, int field, byte[] payload) {
        out.write(field << 3 | 2);
        out.write(payload.length);
        out.writeBytes(payload);
    }

    private OnnxBytes() {
    }
}
