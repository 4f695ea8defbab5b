package io.rankops.ranker.onnx;

import ai.onnxruntime.OrtEnvironment;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The ranker cannot serve without ONNX Runtime's native library, which fails only when first
 * touched; readiness touches it so a broken install shows up before traffic does.
 */
@Readiness
@ApplicationScoped
public class OnnxRuntimeReadiness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            return HealthCheckResponse.named("onnxruntime")
                    .up()
                    .withData("version", env.getVersion())
                    .withData("providers", OrtEnvironment.getAvailableProviders().toString())
                    .build();
        } catch (RuntimeException | UnsatisfiedLinkError broken) {
            return HealthCheckResponse.named("onnxruntime").down()
                    .withData("error", String.valueOf(broken.getMessage())).build();
        }
    }
}
