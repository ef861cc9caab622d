package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncf4j.server.config.SecurityConfig;
import org.ncf4j.server.config.ServingConfig;

/**
 * deploy/'s Kubernetes manifests (rendered by {@code kubectl kustomize}, parsed into fabric8's typed objects, and
 * KServe's into records of this test's own), its
 * compose file and its Dockerfiles agree with the server's configuration: ports, probes on the health service, a
 * grace period above the drain time, and environment variables that name real settings. (That each image's entry
 * point starts the server as bin/ncf-server does is JvmSettingsTest's.)
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path SERVER_SETTINGS = Path.of("..", "server", "src", "main", "resources", "application.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static int grpcPort;
    private static int httpPort;
    private static Duration drain;

    @BeforeAll
    static void serverSettings() throws IOException {
        String yml = Files.readString(SERVER_SETTINGS);
        grpcPort = Integer.parseInt(find(yml, "\\$\\{GRPC_SERVER_PORT:(\\d+)}"));
        httpPort = Integer.parseInt(find(yml, "\\$\\{HTTP_PORT:(\\d+)}"));
        drain = Duration.ofSeconds(Long.parseLong(find(yml, "await-termination: (\\d+)s")));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "application.yml has " + regex);
        return m.group(1);
    }

    /** The environment variables the server reads: NCF_* for each setting, and the two ports. */
    static Set<String> settingVariables() {
        Set<String> names = new HashSet<>(Set.of("GRPC_SERVER_PORT", "HTTP_PORT", "JAVA_TOOL_OPTIONS"));
        for (var c : ServingConfig.class.getRecordComponents()) {
            names.add("NCF_" + snake(c.getName()));
        }
        for (var c : SecurityConfig.class.getRecordComponents()) {
            names.add("NCF_SECURITY_" + snake(c.getName()));
        }
        return names;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** {@code kubectl kustomize DIR}, split into documents by kind. */
    private static Map<String, List<JsonNode>> render(String dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve(dir).toString()).redirectErrorStream(true)
                    .start();
        } catch (IOException noKubectl) {
            boolean ci = "true".equals(System.getenv("CI"));
            if (ci) {
                throw new AssertionError("kubectl is needed to render deploy/k8s in CI", noKubectl);
            }
            Assumptions.abort("kubectl is not installed: " + noKubectl.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "kubectl kustomize " + dir + ": " + out);
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(out).readAll().stream()
                .map(JsonNode.class::cast).toList()) {
            byKind.computeIfAbsent(doc.get("kind").asText(), k -> new ArrayList<>()).add(doc);
        }
        return byKind;
    }

    private static <T> T one(Map<String, List<JsonNode>> docs, String kind, String name, Class<T> type)
            throws IOException {
        for (JsonNode d : docs.getOrDefault(kind, List.of())) {
            if (d.get("metadata").get("name").asText().equals(name)) {
                return YAML.treeToValue(d, type);
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in " + docs.keySet());
    }

    private static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no port " + name));
    }

    @Test
    void theBaseManifestsAgreeWithTheServersSettings() throws Exception {
        Map<String, List<JsonNode>> docs = render("k8s/base");
        Deployment d = one(docs, "Deployment", "ncf-server", Deployment.class);
        ConfigMap config = one(docs, "ConfigMap", "ncf-server-config", ConfigMap.class);
        Container server = container(d, "ncf-server");
        Map<String, String> env = new HashMap<>(config.getData());

        assertEquals(grpcPort, port(server, "grpc"));
        assertEquals(httpPort, port(server, "http"));
        assertEquals(Integer.toString(grpcPort), env.get("GRPC_SERVER_PORT"));
        assertEquals(Integer.toString(httpPort), env.get("HTTP_PORT"));
        // probes: gRPC health for startup and readiness; liveness only needs the port to take connections
        assertEquals(grpcPort, server.getStartupProbe().getGrpc().getPort());
        assertEquals(grpcPort, server.getReadinessProbe().getGrpc().getPort());
        assertEquals("grpc", server.getLivenessProbe().getTcpSocket().getPort().getStrVal());
        // the grace period covers the drain and the models' close (up to 5 s, Application.stop)
        long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > drain.toSeconds() + 5, "grace " + grace + " s, drain " + drain);
        // every variable names a setting, with a value the settings accept
        Set<String> known = settingVariables();
        for (EnvVar e : server.getEnv()) {
            assertTrue(known.contains(e.getName()), "unknown variable " + e.getName());
        }
        for (String k : env.keySet()) {
            assertTrue(known.contains(k), "unknown variable " + k + " in the ConfigMap");
        }
        new ServingConfig(env.get("NCF_REPOSITORY"), "", env.get("NCF_EXECUTION_PROVIDER"), 0,
                Integer.parseInt(env.get("NCF_INTRA_OP_THREADS")), Duration.parse("PT" + env.get("NCF_POLL_INTERVAL")
                .toUpperCase(Locale.ROOT)), env.get("NCF_VERSION_POLICY"), true, 100000, 10000, 64, 10000,
                Duration.ZERO, 1024, Duration.ofMillis(50), Integer.parseInt(env.get("NCF_BATCH_WORKERS")),
                Integer.parseInt(env.get("NCF_RANKING_MEMORY_MB")), 1024, "auto", "auto", 200, 20000, 16, 50,
                Duration.ofSeconds(10));
        // the repository is the volume the sync containers fill
        VolumeMount models = server.getVolumeMounts().stream().filter(m -> m.getName().equals("models")).findFirst()
                .orElseThrow();
        assertEquals(env.get("NCF_REPOSITORY"), models.getMountPath());
        assertTrue(models.getReadOnly(), "the server only reads its repository");
        Container sync = container(d, "model-sync");
        assertTrue(sync.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("models")
                && m.getMountPath().equals(env.get("NCF_REPOSITORY")) && !Boolean.TRUE.equals(m.getReadOnly())));
        assertFalse(d.getSpec().getTemplate().getSpec().getInitContainers().isEmpty());
        assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());

        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(podLabels, d.getSpec().getSelector().getMatchLabels());
        for (String name : List.of("ncf-server", "ncf-server-headless")) {
            Service s = one(docs, "Service", name, Service.class);
            assertEquals(podLabels, s.getSpec().getSelector(), name);
            for (ServicePort p : s.getSpec().getPorts()) {
                port(server, p.getTargetPort().getStrVal());
            }
            assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == grpcPort), name);
        }
        assertEquals("None", one(docs, "Service", "ncf-server-headless", Service.class).getSpec().getClusterIP());
        HorizontalPodAutoscaler hpa = one(docs, "HorizontalPodAutoscaler", "ncf-server",
                HorizontalPodAutoscaler.class);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(d.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        PodDisruptionBudget pdb = one(docs, "PodDisruptionBudget", "ncf-server", PodDisruptionBudget.class);
        assertEquals(podLabels, pdb.getSpec().getSelector().getMatchLabels());
    }

    /** KServe's ServingRuntime, in the fields checked here (fabric8 has no KServe types). */
    record ServingRuntime(String apiVersion, String kind, Metadata metadata, RuntimeSpec spec) {
    }

    record Metadata(String name, Map<String, String> annotations) {
    }

    record RuntimeSpec(Map<String, String> annotations, List<ModelFormat> supportedModelFormats,
                       List<String> protocolVersions, boolean multiModel, List<Container> containers) {
    }

    record ModelFormat(String name, String version, boolean autoSelect) {
    }

    /** KServe's InferenceService, in the fields checked here. */
    record InferenceService(String apiVersion, String kind, Metadata metadata, IsvcSpec spec) {
    }

    record IsvcSpec(Predictor predictor) {
    }

    record Predictor(Integer minReplicas, PredictorModel model) {
    }

    record PredictorModel(ModelFormat modelFormat, String runtime, String protocolVersion, String storageUri) {
    }

    /**
     * deploy/kserve: a ServingRuntime that runs this image on the repository KServe's storage initializer fills
     * (/mnt/models, in the server's &lt;model&gt;/&lt;version&gt;/ layout), declares the Open Inference Protocol over
     * REST and gRPC on the ports it sets, probes the protocol's health routes that the server has, and an
     * InferenceService that uses it in raw deployment mode (both ports exposed).
     */
    @Test
    void theKServeRuntimeAndServiceAgreeWithTheServer() throws Exception {
        Map<String, List<JsonNode>> docs = render("kserve");
        ServingRuntime runtime = one(docs, "ServingRuntime", "ncf4j", ServingRuntime.class);
        assertEquals("serving.kserve.io/v1alpha1", runtime.apiVersion());
        assertTrue(runtime.spec().protocolVersions().containsAll(List.of("v2", "grpc-v2")),
                runtime.spec().protocolVersions().toString());
        Container c = runtime.spec().containers().get(0);
        assertEquals("kserve-container", c.getName());
        assertTrue(c.getImage().startsWith("ncf4j-server"), c.getImage());
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            assertTrue(settingVariables().contains(e.getName()), e.getName() + " is no setting of the server");
            env.put(e.getName(), e.getValue());
        }
        assertEquals("/mnt/models", env.get("NCF_REPOSITORY"), "KServe's storage initializer writes /mnt/models");
        int http = Integer.parseInt(env.getOrDefault("HTTP_PORT", String.valueOf(httpPort)));
        int grpc = Integer.parseInt(env.getOrDefault("GRPC_SERVER_PORT", String.valueOf(grpcPort)));
        assertEquals(http, port(c, "http1"));
        assertEquals(grpc, port(c, "h2c"));
        assertEquals(restRoute("ready"), c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(http, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals(restRoute("live"), c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(String.valueOf(http), runtime.spec().annotations().get("prometheus.kserve.io/port"));
        assertEquals("/prometheus", runtime.spec().annotations().get("prometheus.kserve.io/path"));

        InferenceService isvc = one(docs, "InferenceService", "ncf4j-recommender", InferenceService.class);
        assertEquals("serving.kserve.io/v1beta1", isvc.apiVersion());
        PredictorModel model = isvc.spec().predictor().model();
        assertEquals(runtime.metadata().name(), model.runtime());
        assertTrue(runtime.spec().supportedModelFormats().stream().anyMatch(f -> f.name().equals(model
                .modelFormat().name()) && f.version().equals(model.modelFormat().version())));
        assertTrue(runtime.spec().protocolVersions().contains(model.protocolVersion()));
        assertEquals("RawDeployment", isvc.metadata().annotations().get("serving.kserve.io/deploymentMode"),
                "Knative's serverless mode exposes one port; REST and gRPC need both");
        assertFalse(model.storageUri().isBlank());
    }

    /** The path of the server's REST health route ("ready" or "live"), read from its controller. */
    private static String restRoute(String which) throws Exception {
        Class<?> routes = org.ncf4j.server.rest.InferenceRoutes.class;
        String base = routes.getAnnotation(io.micronaut.http.annotation.Controller.class).value();
        for (java.lang.reflect.Method m : routes.getMethods()) {
            io.micronaut.http.annotation.Get get = m.getAnnotation(io.micronaut.http.annotation.Get.class);
            if (get != null && get.value().equals("/health/" + which)) {
                return base + get.value();
            }
        }
        throw new AssertionError("the server has no REST route /health/" + which);
    }

    @Test
    void theGpuOverlayAsksForAGpuAndCuda() throws Exception {
        Map<String, List<JsonNode>> docs = render("k8s/gpu");
        Deployment d = one(docs, "Deployment", "ncf-server", Deployment.class);
        Container server = container(d, "ncf-server");
        assertEquals("1", server.getResources().getLimits().get("nvidia.com/gpu").getAmount());
        assertTrue(server.getImage().endsWith(":cuda"), server.getImage());
        assertEquals("cuda", one(docs, "ConfigMap", "ncf-server-config", ConfigMap.class).getData()
                .get("NCF_EXECUTION_PROVIDER"));
        assertEquals(grpcPort, server.getStartupProbe().getGrpc().getPort());
    }

    @Test
    void theComposeFileAndTheDockerfileAgreeToo() throws Exception {
        JsonNode service = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).get("services").get("ncf-server");
        assertNotNull(service);
        List<String> ports = new ArrayList<>();
        service.get("ports").forEach(p -> ports.add(p.asText()));
        assertEquals(List.of(grpcPort + ":" + grpcPort, httpPort + ":" + httpPort), ports);
        Set<String> known = settingVariables();
        service.get("environment").fieldNames().forEachRemaining(k -> assertTrue(known.contains(k), k));
        assertEquals(Integer.toString(grpcPort), service.get("environment").get("GRPC_SERVER_PORT").asText());
        String repository = service.get("environment").get("NCF_REPOSITORY").asText();
        assertTrue(service.get("volumes").get(0).asText().contains(":" + repository + ":"), "models mounted");
        Duration grace = Duration.parse("PT" + service.get("stop_grace_period").asText().toUpperCase(Locale.ROOT));
        assertTrue(grace.compareTo(drain.plusSeconds(5)) > 0, "stop grace " + grace);

        for (String file : List.of("Dockerfile", "Dockerfile.cuda")) {
            String dockerfile = Files.readString(DEPLOY.resolve(file));
            assertTrue(dockerfile.contains("EXPOSE " + grpcPort + " " + httpPort), file);
            assertTrue(dockerfile.contains("NCF_REPOSITORY=/models") && dockerfile.contains("VOLUME [\"/models\"]"),
                    file);
            assertTrue(dockerfile.contains("\nUSER 10001:10001\n"), file + " runs as a non-root user");
            Matcher env = Pattern.compile("\\n    ([A-Z_]+)=").matcher(dockerfile);
            while (env.find()) {
                assertTrue(known.contains(env.group(1)), file + ": " + env.group(1));
            }
        }
    }

    @Test
    void eachDockerfileBringsThePomOfEveryModuleTheReactorLists() throws Exception {
        // Maven reads the pom of every module the root pom lists before it builds any: one missing fails the build
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(DEPLOY.resolveSibling(
                "pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertTrue(modules.contains("server"), "the reactor's modules: " + modules);
        for (String file : List.of("Dockerfile", "Dockerfile.cuda")) {
            String dockerfile = Files.readString(DEPLOY.resolve(file));
            for (String m : modules) {
                assertTrue(dockerfile.contains("\nCOPY " + m + "/pom.xml " + m + "/\n"), file + " copies " + m
                        + "/pom.xml");
            }
        }
    }
}
