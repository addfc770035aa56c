package io.ferrymq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry purge QUEUE}: removes the queue's ready messages. */
@Command(name = "purge", description = "Remove every ready message from a queue.")
final class PurgeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Override
    void run(ApiClient api, Output out) {
        String path = "/api/queues/" + vhost() + "/" + enc(queue);
        long before = api.get(path).path("messages_ready").asLong();
        api.delete(path + "/contents");
        done(out, "purged queue '" + queue + "' (" + before + " ready before)",
                ApiClient.JSON.createObjectNode().put("queue", queue).put("messages_ready_before", before));
    }

}
