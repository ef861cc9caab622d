package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import org.ncf4j.api.v1.ReloadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ncf reload [MODEL]}: rescans the server's repository now, with the admin credential when given. */
@Command(name = "reload", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Asks the server to rescan its repository now (every model, or one) and prints the outcome. "
                + "Needs --token when the server has an admin token.")
final class ReloadCommand extends ServerCommand {
    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "Only this model.")
    String model;

    @Override
    int run(ManagedChannel channel) {
        ReloadRequest request = ReloadRequest.newBuilder().setName(model == null ? "" : model).build();
        ModelsCommand.print(this, connection.blocking(connection.withToken(channel)).reload(request).getModelsList());
        return ExitCodes.OK;
    }
}
