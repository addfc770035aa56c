package io.ferrymq.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redrive, trace and policy commands send what the issue-8 contract describes and show what it answers, checked
 * against {@link ContractStub} until the broker has those endpoints (then CliOpsServerIT covers them end to end).
 */
class ContractCommandsTest {

    @Test
    void redriveSendsBatchesWithTheFilterAndReportsProgressUntilNothingMoves() throws Exception {
        AtomicInteger left = new AtomicInteger(5);
        try (ContractStub stub = new ContractStub(request -> {
            if (request.method().equals("GET")) {
                return Map.entry(200, "{\"name\":\"dlq\",\"messages_ready\":6}");
            }
            int limit = request.body().path("limit").asInt();
            int moved = Math.min(limit, left.getAndAdd(-Math.min(limit, left.get())));
            return Map.entry(200, "{\"moved\":" + moved + ",\"skipped\":1}");
        })) {
            ContractStub.Run run = stub.ferry("redrive", "dlq", "--batch", "2", "--reason", "rejected",
                    "--from-queue", "orders", "--vhost", "/");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("moved 5 messages out of 'dlq'; 1 skipped");
            assertThat(run.err()).contains("redrive: moved 2 of 6", "redrive: moved 4 of 6", "redrive: moved 5 of 6");
            var posts = stub.requests.stream().filter(r -> r.method().equals("POST")).toList();
            // batches move 2, 2, 1 (+1 skipped: a full batch), then 0: the DLQ holds nothing more to move
            assertThat(posts).hasSize(4);
            assertThat(posts.get(0).uri()).isEqualTo("/api/queues/%2F/dlq/redrive");
            assertThat(posts.get(0).body().toString()).isEqualTo(
                    "{\"limit\":2,\"filter\":{\"reason\":\"rejected\",\"queue\":\"orders\"}}");
        }
    }

    @Test
    void redriveToAnExchangeStopsAtTheLimit() throws Exception {
        try (ContractStub stub = new ContractStub(request -> request.method().equals("GET")
                ? Map.entry(200, "{\"messages_ready\":100}")
                : Map.entry(200, "{\"moved\":" + request.body().path("limit").asInt() + ",\"skipped\":0}"))) {
            ContractStub.Run run = stub.ferry("redrive", "dlq", "-e", "retry", "-k", "again", "--limit", "7",
                    "--batch", "5", "--json");

            assertThat(run.code()).isZero();
            assertThat(run.out()).contains("\"moved\" : 7");
            var posts = stub.requests.stream().filter(r -> r.method().equals("POST")).toList();
            assertThat(posts).extracting(r -> r.body().toString()).containsExactly(
                    "{\"exchange\":\"retry\",\"routing_key\":\"again\",\"limit\":5}",
                    "{\"exchange\":\"retry\",\"routing_key\":\"again\",\"limit\":2}");
        }
        assertThat(new ContractStub(r -> Map.entry(200, "{}")).ferry("redrive", "dlq", "-k", "x").code())
                .isEqualTo(2);
    }

    @Test
    void traceQueriesByMessageIdAndShowsTheEventsInATable() throws Exception {
        try (ContractStub stub = new ContractStub(request -> Map.entry(200, """
                [{"seq":1,"timestamp":0,"event":"published","message_id":"m 1","exchange":"","routing_key":"q"},
                 {"seq":2,"timestamp":1,"event":"routed","queues":["q","audit"]},
                 {"seq":3,"timestamp":2,"event":"dead_lettered","queue":"q","reason":"rejected"}]"""))) {
            ContractStub.Run run = stub.ferry("trace", "m 1", "--limit", "10", "--vhost", "orders");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(stub.requests.get(0).uri()).isEqualTo("/api/trace/orders?message_id=m%201&limit=10");
            assertThat(run.out().lines().toList()).hasSize(4);
            assertThat(run.out()).contains("1970-01-01T00:00:00Z", "published", "q,audit", "reason=rejected");

            stub.ferry("trace", "--correlation-id", "c/1");
            assertThat(stub.requests.get(1).uri()).isEqualTo("/api/trace/%2F?correlation_id=c%2F1");
        }
    }

    @Test
    void traceSwitchesPutTheContractsBody() throws Exception {
        try (ContractStub stub = new ContractStub(request -> request.method().equals("PUT")
                ? Map.entry(204, "") : Map.entry(200, "{\"enabled\":true,\"queues\":[\"orders\"]}"))) {
            assertThat(stub.ferry("trace", "on", "--queue", "orders").out()).contains("tracing on for queue 'orders'");
            assertThat(stub.requests.get(0).uri()).isEqualTo("/api/trace/%2F/queues/orders");
            assertThat(stub.requests.get(0).body().toString()).isEqualTo("{\"enabled\":true}");
            assertThat(stub.ferry("trace", "status").out()).contains("tracing on; traced queues: orders");
        }
    }

    @Test
    void policiesArePutInRabbitMqsShapeWithTypedDefinitionValues() throws Exception {
        try (ContractStub stub = new ContractStub(request -> request.method().equals("PUT")
                ? Map.entry(201, "") : Map.entry(200, "{\"name\":\"p\"}"))) {
            ContractStub.Run run = stub.ferry("declare", "policy", "dlq", "--pattern", "^dlq\\.", "--apply-to",
                    "queues", "--priority", "2", "--definition", "message-ttl=60000", "--definition", "trace=true",
                    "--definition", "dead-letter-exchange=dlx");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(stub.requests.get(0).uri()).isEqualTo("/api/policies/%2F/dlq");
            assertThat(stub.requests.get(0).body().toString()).isEqualTo("{\"pattern\":\"^dlq\\\\.\",\"apply-to\":"
                    + "\"queues\",\"priority\":2,\"definition\":{\"message-ttl\":60000,\"trace\":true,"
                    + "\"dead-letter-exchange\":\"dlx\"}}");
        }
    }

    @Test
    void aBadPolicyIsOneLineWithTheServersReason() throws Exception {
        try (ContractStub stub = new ContractStub(request -> Map.entry(400,
                "{\"error\":\"bad_request\",\"reason\":\"max-length must be a non-negative integer\"}"))) {
            ContractStub.Run run = stub.ferry("declare", "policy", "p", "--pattern", ".*", "--definition",
                    "max-length=-1");

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("ferry: 400 max-length must be a non-negative integer"
                    + System.lineSeparator());
        }
    }
}
