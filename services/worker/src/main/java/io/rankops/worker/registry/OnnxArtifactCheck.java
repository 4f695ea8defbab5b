package io.rankops.worker.registry;

import io.minio.StatObjectResponse;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.platform.storage.S3Uri;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses an artifact that the ranker could not load: no object, an empty one, or bytes that do
 * not walk as a protobuf {@code ModelProto} with a graph. Walking the top-level fields to the
 * end catches truncated uploads too, without pulling in the ONNX runtime. When training reported
 * the file's SHA-256, the bytes must still have it: a file changed after training (overwritten,
 * bit-flipped, swapped) is refused even when it is still a well-formed model.
 */
public class OnnxArtifactCheck {

    /** ModelProto.graph: a model without it has nothing to run. */
    private static final int GRAPH_FIELD = 7;

    private final ObjectStore store;

    public OnnxArtifactCheck(ObjectStore store) {
        this.store = store;
    }

    /**
     * @param expectedSha256 hex SHA-256 training reported for the file, or null to skip the comparison
     * @return the hex SHA-256 of the bytes read, which the registered version is tagged with
     */
    public String verify(String onnxUri, String expectedSha256) {
        S3Uri object = S3Uri.tryParse(onnxUri).orElseThrow(() ->
                new BadModelArtifactException("ONNX artifact '" + onnxUri + "' is not an s3://bucket/key URI"));
        Optional<StatObjectResponse> stat = store.stat(object);
        if (stat.isEmpty()) {
            throw new BadModelArtifactException("ONNX artifact " + onnxUri + " does not exist");
        }
        if (stat.get().size() == 0) {
            throw new BadModelArtifactException("ONNX artifact " + onnxUri + " is empty");
        }
        MessageDigest digest = sha256();
        String problem;
        try (InputStream in = new DigestingStream(new BufferedInputStream(store.open(object)), digest)) {
            problem = modelProtoProblem(in);
            in.transferTo(OutputStream.nullOutputStream()); // a structural problem stops early: digest all of it
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + onnxUri + " failed", e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (expectedSha256 != null && !expectedSha256.isBlank()
                && !actual.equals(expectedSha256.trim().toLowerCase(Locale.ROOT))) {
            throw new BadModelArtifactException("ONNX artifact " + onnxUri + " has sha256 " + actual
                    + " but training produced sha256 " + expectedSha256 + ": the file changed after training"
                    + (problem == null ? "" : " (and is not an ONNX model: " + problem + ")"));
        }
        if (problem != null) {
            throw new BadModelArtifactException("ONNX artifact " + onnxUri + " is not an ONNX model: " + problem);
        }
        return actual;
    }

    /** DigestInputStream whose skip reads, so skipped bytes are digested too (the protobuf walk skips). */
    private static final class DigestingStream extends DigestInputStream {
        private final byte[] scratch = new byte[8192];

        DigestingStream(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public long skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int read = read(scratch, 0, (int) Math.min(scratch.length, left));
                if (read < 0) {
                    break;
                }
                left -= read;
            }
            return n - left;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Null when the stream is a well-formed sequence of protobuf fields including a graph. */
    static String modelProtoProblem(InputStream in) throws IOException {
        boolean hasGraph = false;
        int fieldIndex = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                break;
            }
            long tag = readVarint(in, first);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0 || tag < 0) {
                return "invalid tag for top-level field #" + fieldIndex;
            }
            long skipped;
            switch (wireType) {
                case 0 -> skipped = readVarint(in, in.read()) >= 0 ? 0 : -1;
                case 1 -> skipped = skipFully(in, 8) ? 0 : -1;
                case 2 -> {
                    long length = readVarint(in, in.read());
                    skipped = length >= 0 && skipFully(in, length) ? 0 : -1;
                    hasGraph |= field == GRAPH_FIELD;
                }
                case 5 -> skipped = skipFully(in, 4) ? 0 : -1;
                default -> {
                    return "unsupported wire type " + wireType + " in top-level field #" + fieldIndex;
                }
            }
            if (skipped < 0) {
                return "truncated in field " + field;
            }
            fieldIndex++;
        }
        return hasGraph ? null : "no graph (ModelProto field " + GRAPH_FIELD + ")";
    }

    /** -1 when the stream ends inside the varint. */
    private static long readVarint(InputStream in, int firstByte) throws IOException {
        long value = 0;
        int b = firstByte;
        for (int shift = 0; shift < 64; shift += 7) {
            if (b < 0) {
                return -1;
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            b = in.read();
        }
        return -1;
    }

    private static boolean skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return false;
                }
                skipped = 1;
            }
            left -= skipped;
        }
        return true;
    }
}
