package io.ferrymq.cli;

import java.util.List;

import static io.ferrymq.cli.Column.number;
import static io.ferrymq.cli.Column.of;

/**
 * What {@code ferry list} can list: the API path for every vhost, the path for one vhost (null: the list is not
 * per vhost) and the table's columns.
 */
enum Listing {
    queues("/api/queues", "/api/queues/%s", List.of(of("vhost", "vhost"), of("name", "name"), of("type", "type"),
            of("durable", "durable"), number("ready", "messages_ready"),
            number("unacked", "messages_unacknowledged"), number("consumers", "consumers"),
            of("policy", "policy"))),
    exchanges("/api/exchanges", "/api/exchanges/%s", List.of(of("vhost", "vhost"),
            new Column("name", row -> row.path("name").asText().isEmpty() ? "(default)" : row.path("name").asText(),
                    false),
            of("type", "type"), of("durable", "durable"), of("auto_delete", "auto_delete"),
            of("internal", "internal"))),
    bindings("/api/bindings", "/api/bindings/%s", List.of(of("vhost", "vhost"),
            new Column("source", row -> row.path("source").asText().isEmpty() ? "(default)"
                    : row.path("source").asText(), false),
            of("destination", "destination"), of("type", "destination_type"), of("routing_key", "routing_key"),
            of("arguments", "arguments"))),
    connections("/api/connections", null, List.of(of("name", "name"), of("user", "user"), of("vhost", "vhost"),
            of("peer_host", "peer_host"), number("peer_port", "peer_port"), number("channels", "channels"),
            of("protocol", "protocol"))),
    channels("/api/channels", null, List.of(of("name", "name"), of("user", "user"), of("vhost", "vhost"),
            number("consumers", "consumer_count"), number("unacked", "messages_unacknowledged"),
            number("prefetch", "prefetch_count"))),
    consumers("/api/consumers", "/api/consumers/%s", List.of(of("vhost", "queue/vhost"), of("queue", "queue/name"),
            of("consumer_tag", "consumer_tag"), of("connection", "channel_details/connection_name"),
            of("ack_required", "ack_required"), number("prefetch", "prefetch_count"))),
    users("/api/users", null, List.of(of("name", "name"), of("tags", "tags"))),
    vhosts("/api/vhosts", null, List.of(of("name", "name"), number("messages", "messages"),
            of("description", "description"))),
    permissions("/api/permissions", "/api/vhosts/%s/permissions", List.of(of("user", "user"), of("vhost", "vhost"),
            of("configure", "configure"), of("write", "write"), of("read", "read"))),
    policies("/api/policies", "/api/policies/%s", List.of(of("vhost", "vhost"), of("name", "name"),
            of("pattern", "pattern"), of("apply_to", "apply-to"), number("priority", "priority"),
            of("definition", "definition")));

    final String allPath;
    final String vhostPath;
    final List<Column> columns;

    Listing(String allPath, String vhostPath, List<Column> columns) {
        this.allPath = allPath;
        this.vhostPath = vhostPath;
        this.columns = columns;
    }
}
