package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tables, typed values and definition batches: the CLI's pure parts. */
class FormattingTest {

    @Test
    void tablesAlignTextLeftAndNumbersRightAndKeepOneLinePerRow() throws Exception {
        JsonNode rows = ApiClient.JSON.readTree("""
                [{"name":"a","n":5,"tags":["x","y"]},{"name":"longer\\nname","n":12345,"tags":[]}]""");
        StringWriter text = new StringWriter();
        Table.print(new PrintWriter(text), List.of(Column.of("name", "name"), Column.number("count", "n"),
                Column.of("tags", "tags")), rows);

        assertThat(text.toString().lines().toList()).containsExactly(
                "name         count  tags",
                "a                5  x,y",
                "longer name  12345");
    }

    @Test
    void valuesAreTypedUnlessQuoted() {
        assertThat(Values.typed(Map.of("a", "10"))).containsEntry("a", 10L);
        assertThat(Values.typed("true")).isEqualTo(true);
        assertThat(Values.typed("1.5")).isEqualTo(1.5);
        assertThat(Values.typed("\"10\"")).isEqualTo("10");
        assertThat(Values.typed("dlx")).isEqualTo("dlx");
        assertThat(Values.typed("99999999999999999999")).isEqualTo("99999999999999999999");
    }

    @Test
    void definitionBatchesFollowDependencyOrderAndStayUnderTheRequestLimit() {
        ObjectNode defs = ApiClient.JSON.createObjectNode();
        for (int i = 0; i < 300; i++) {
            defs.withArray("bindings").addObject().put("source", "x").put("destination", "q" + i);
            defs.withArray("queues").addObject().put("name", "q" + i).put("pad", "p".repeat(300));
        }
        defs.withArray("vhosts").addObject().put("name", "v");

        List<ObjectNode> batches = DefinitionsCommand.batches(defs);

        assertThat(batches.get(0).fieldNames().next()).isEqualTo("vhosts");
        assertThat(batches).allSatisfy(b -> assertThat(b.toString().length())
                .isLessThan(DefinitionsCommand.MAX_REQUEST_BYTES + 100));
        int queuesAt = indexOf(batches, "queues");
        int bindingsAt = indexOf(batches, "bindings");
        assertThat(queuesAt).isLessThan(bindingsAt);
        assertThat(batches.stream().mapToInt(b -> b.path(b.fieldNames().next()).size()).sum()).isEqualTo(601);
    }

    private static int indexOf(List<ObjectNode> batches, String section) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).has(section)) {
                return i;
            }
        }
        return -1;
    }
}
