package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.auth.User;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/connections[/{name}]}, {@code /api/channels}, {@code /api/consumers[/{vhost}]}: who is connected and
 * consuming. Monitoring users and administrators see every client; other users their own connections (as RabbitMQ).
 * The API's own short-lived connections are left out.
 */
final class ClientsResource {
    /** What a client is told when no X-Reason header says otherwise (RabbitMQ's words). */
    private static final String DEFAULT_CLOSE_REASON = "Closed via management plugin";

    private final String nodeName;
    private final BrokerView view;
    private final BrokerAdmin admin;
    private final VhostAccess access;

    ClientsResource(String nodeName, BrokerView view, BrokerAdmin admin, VhostAccess access) {
        this.nodeName = nodeName;
        this.view = view;
        this.admin = admin;
        this.access = access;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/connections", Route.Access.MANAGEMENT, Endpoint.now(this::connections)),
                Route.get("/api/connections/{name}", Route.Access.MANAGEMENT, Endpoint.now(this::connection)),
                Route.delete("/api/connections/{name}", Route.Access.MANAGEMENT, Endpoint.now(this::close)),
                Route.get("/api/channels", Route.Access.MANAGEMENT, Endpoint.now(this::channels)),
                Route.get("/api/consumers", Route.Access.MANAGEMENT, Endpoint.now(request -> consumers(request, null))),
                Route.get("/api/consumers/{vhost}", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> consumers(request, request.param("vhost")))));
    }

    private ApiResponse connections(ApiRequest request) {
        return ApiResponse.ok(visibleConnections(request.user()).stream().map(this::describe).toList());
    }

    private ApiResponse connection(ApiRequest request) {
        String name = request.param("name");
        return ApiResponse.ok(visibleConnections(request.user()).stream().filter(c -> c.id().equals(name))
                .findFirst().map(this::describe)
                .orElseThrow(() -> ApiException.notFound("no connection '" + name + "'")));
    }

    /** Users close their own connections; monitoring users and administrators any (as RabbitMQ). */
    private ApiResponse close(ApiRequest request) {
        String name = request.param("name");
        if (visibleConnections(request.user()).stream().noneMatch(c -> c.id().equals(name))) {
            throw ApiException.notFound("no connection '" + name + "'");
        }
        admin.closeConnection(name, request.header("X-Reason", DEFAULT_CLOSE_REASON));
        return ApiResponse.noContent();
    }

    private ApiResponse channels(ApiRequest request) {
        Map<String, BrokerView.ConnectionSnapshot> connections = byId(visibleConnections(request.user()));
        return ApiResponse.ok(view.channels().stream().filter(ch -> connections.containsKey(ch.connection()))
                .sorted(Comparator.comparing(BrokerView.ChannelSnapshot::connection)
                        .thenComparingInt(BrokerView.ChannelSnapshot::number))
                .map(ch -> describe(ch, connections.get(ch.connection()))).toList());
    }

    private ApiResponse consumers(ApiRequest request, String vhost) {
        if (vhost != null) {
            access.require(request.user(), vhost);
        }
        Map<String, BrokerView.ConnectionSnapshot> connections = byId(visibleConnections(request.user()));
        return ApiResponse.ok(view.consumers().stream()
                .filter(c -> connections.containsKey(c.connection()) && (vhost == null || c.vhost().equals(vhost)))
                .map(c -> describe(c, connections.get(c.connection()))).toList());
    }

    private List<BrokerView.ConnectionSnapshot> visibleConnections(User user) {
        return view.connections().stream()
                .filter(c -> !c.protocol().equals(ManagementSessions.PROTOCOL))
                .filter(c -> user.seesAllVhosts() || c.user().equals(user.name()))
                .sorted(Comparator.comparing(BrokerView.ConnectionSnapshot::id)).toList();
    }

    private static Map<String, BrokerView.ConnectionSnapshot> byId(List<BrokerView.ConnectionSnapshot> all) {
        Map<String, BrokerView.ConnectionSnapshot> byId = new HashMap<>();
        all.forEach(c -> byId.put(c.id(), c));
        return byId;
    }

    private Map<String, Object> describe(BrokerView.ConnectionSnapshot c) {
        String[] peer = hostAndPort(c.remoteAddress());
        return obj("name", c.id(), "node", nodeName, "user", c.user(), "vhost", c.vhost(), "protocol", c.protocol(),
                "peer_host", peer[0], "peer_port", port(peer[1]), "channels", c.sessions(), "state", "running",
                "type", "network", "client_properties", JsonValues.json(c.clientProperties()));
    }

    private static Map<String, Object> describe(BrokerView.ChannelSnapshot ch, BrokerView.ConnectionSnapshot c) {
        return obj("name", ch.connection() + " (" + ch.number() + ")", "number", ch.number(), "user", ch.user(),
                "vhost", ch.vhost(), "connection_details", details(c), "consumer_count", ch.consumers(),
                "messages_unacknowledged", ch.messagesUnacknowledged(), "prefetch_count", ch.prefetchCount(),
                "global_prefetch_count", ch.globalPrefetchCount(), "transactional", ch.transactional(),
                "state", "running");
    }

    private static Map<String, Object> describe(BrokerView.ConsumerSnapshot c, BrokerView.ConnectionSnapshot conn) {
        Map<String, Object> channel = details(conn);
        channel.put("name", c.connection() + " (" + c.channel() + ")");
        channel.put("number", c.channel());
        channel.put("connection_name", c.connection());
        channel.put("user", c.user());
        return obj("consumer_tag", c.consumerTag(), "queue", obj("name", c.queue(), "vhost", c.vhost()),
                "channel_details", channel, "ack_required", c.ackRequired(), "exclusive", c.exclusive(),
                "prefetch_count", c.prefetchCount(), "arguments", c.priority() == 0 ? Map.of()
                        : Map.of("x-priority", c.priority()), "active", true, "activity_status", "up");
    }

    private static Map<String, Object> details(BrokerView.ConnectionSnapshot c) {
        String[] peer = hostAndPort(c.remoteAddress());
        return obj("name", c.id(), "peer_host", peer[0], "peer_port", port(peer[1]));
    }

    /** "host:port" (IPv6 hosts contain colons, so the port is after the last one). */
    private static String[] hostAndPort(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            return new String[]{address == null ? "" : address, ""};
        }
        String host = address.substring(0, colon);
        if (host.startsWith("/")) {
            host = host.substring(1);
        }
        return new String[]{host, address.substring(colon + 1)};
    }

    private static Object port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
