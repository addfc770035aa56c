package io.ferrymq.http;

import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerView;

import java.util.ArrayList;
import java.util.List;

/**
 * The management API's routes, shaped like RabbitMQ's so that its tools work (docs/OPERATIONS.md lists them).
 * Built once per server; every endpoint reads the broker's live state.
 */
final class ManagementApi {
    private ManagementApi() {
    }

    static List<Route> routes(Broker broker, BrokerView view, BrokerAdmin admin, NodeInfo node,
                              AlarmsHealthCheck alarms, MessageRates rates) {
        VhostAccess access = new VhostAccess(admin);
        ManagementSessions sessions = new ManagementSessions(broker);
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/api/overview", Route.Access.MANAGEMENT, new OverviewEndpoint(node, view, rates)));
        routes.add(Route.get("/api/health/checks/alarms", Route.Access.MANAGEMENT, alarms));
        routes.addAll(new NodesResource(node, view).routes());
        routes.addAll(new VhostsResource(admin, view, access).routes());
        routes.addAll(new UsersResource(admin).routes());
        routes.addAll(new PermissionsResource(admin).routes());
        routes.addAll(new ExchangesResource(view, access, sessions).routes());
        routes.addAll(new QueuesResource(node.nodeName(), view, access, sessions, rates).routes());
        routes.addAll(new RedriveEndpoint(admin, access).routes());
        routes.addAll(new PoliciesResource(admin, access).routes());
        routes.addAll(new TraceResource(admin, view, access).routes());
        routes.addAll(new BindingsResource(view, access, sessions).routes());
        routes.addAll(new ClientsResource(node.nodeName(), view, admin, access).routes());
        routes.addAll(new DefinitionsResource(node, admin, view).routes());
        return routes;
    }
}
