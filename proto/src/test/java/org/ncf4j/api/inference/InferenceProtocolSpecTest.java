package org.ncf4j.api.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The server's inference.proto against the Open Inference Protocol's specification, transcribed in
 * {@code open-inference-protocol.txt}, with Triton's model configuration extension in model_config.proto against
 * {@code triton-model-config.txt}: the same package, service methods, messages, enum values, and for every field the
 * same name, number, label and type, both ways (nothing missing, nothing added). A field number written wrong in the
 * server's .proto and in a client generated from it would pass every round trip; it cannot pass this.
 */
class InferenceProtocolSpecTest {
    @Test
    void theProtoDeclaresExactlyTheSpecificationsServiceMessagesAndFields() throws IOException {
        List<String> spec = new ArrayList<>();
        for (String file : List.of("/open-inference-protocol.txt", "/triton-model-config.txt")) {
            try (InputStream in = getClass().getResourceAsStream(file)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        spec.add(line.strip().replaceAll("\\s+", " "));
                    }
                }
            }
        }
        List<String> declared = new ArrayList<>(facts(OpenInferenceProto.getDescriptor()));
        List<String> extension = facts(TritonModelConfigProto.getDescriptor());
        declared.addAll(extension.subList(1, extension.size())); // the same package, listed once
        assertEquals(new TreeSet<>(spec), new TreeSet<>(declared));
        assertEquals(spec.size(), new TreeSet<>(spec).size(), "a fact is listed twice");
    }

    /** The same facts, read from the compiled descriptors. */
    static List<String> facts(FileDescriptor file) {
        List<String> out = new ArrayList<>();
        out.add("package " + file.getPackage());
        for (ServiceDescriptor s : file.getServices()) {
            for (MethodDescriptor m : s.getMethods()) {
                out.add("rpc " + s.getName() + " " + m.getName() + " " + m.getInputType().getName() + " "
                        + m.getOutputType().getName() + (m.isClientStreaming() || m.isServerStreaming()
                        ? " streaming" : ""));
            }
        }
        for (Descriptor d : file.getMessageTypes()) {
            message(d, "", out);
        }
        for (EnumDescriptor e : file.getEnumTypes()) {
            for (EnumValueDescriptor v : e.getValues()) {
                out.add("enum " + e.getName() + " " + v.getName() + " " + v.getNumber());
            }
        }
        return out;
    }

    private static void message(Descriptor d, String outer, List<String> out) {
        if (d.getOptions().getMapEntry()) {
            return;
        }
        String name = outer + d.getName();
        out.add("message " + name);
        for (FieldDescriptor f : d.getFields()) {
            String label = f.isMapField() ? "map" : f.isRepeated() ? "repeated"
                    : f.getRealContainingOneof() != null ? "oneof:" + f.getRealContainingOneof().getName() : "single";
            out.add("field " + name + " " + f.getName() + " " + f.getNumber() + " " + label + " " + type(f));
        }
        for (Descriptor nested : d.getNestedTypes()) {
            message(nested, name + ".", out);
        }
    }

    private static String type(FieldDescriptor f) {
        if (f.isMapField()) {
            Descriptor entry = f.getMessageType();
            return "map<" + type(entry.findFieldByName("key")) + "," + type(entry.findFieldByName("value")) + ">";
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            String full = f.getMessageType().getFullName();
            return full.substring(f.getFile().getPackage().length() + 1);
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            String full = f.getEnumType().getFullName();
            return full.substring(f.getFile().getPackage().length() + 1);
        }
        return switch (f.getType()) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
