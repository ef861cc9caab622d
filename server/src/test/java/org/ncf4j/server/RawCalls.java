package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Calls with raw request bytes, to send what a well-behaved client never would. */
public final class RawCalls {
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawCalls() {
    }

    /** A unary call of {@code method} with {@code bytes} as the request; returns the response bytes. */
    public static byte[] call(Channel channel, String method, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> m = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
                .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
        return ClientCalls.blockingUnaryCall(channel, m, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                bytes);
    }

    /** Sends bytes that are not a valid protobuf message to a method; returns the failure. */
    public static StatusRuntimeException malformed(Channel channel, String method) {
        return assertThrows(StatusRuntimeException.class, () -> call(channel, method,
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}));
    }
}
