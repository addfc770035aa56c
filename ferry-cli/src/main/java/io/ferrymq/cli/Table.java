package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as an aligned text table: a header line, then one line per row, columns two spaces apart. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<Column> columns, JsonNode rows) {
        List<String[]> cells = new ArrayList<>();
        for (JsonNode row : rows) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < line.length; i++) {
                line[i] = oneLine(columns.get(i).cell().apply(row));
            }
            cells.add(line);
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).header().length();
            for (String[] line : cells) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        String[] headers = columns.stream().map(Column::header).toArray(String[]::new);
        out.println(format(columns, widths, headers));
        for (String[] line : cells) {
            out.println(format(columns, widths, line));
        }
        out.flush();
    }

    private static String format(List<Column> columns, int[] widths, String[] line) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < line.length; i++) {
            boolean last = i == line.length - 1;
            String pad = " ".repeat(widths[i] - line[i].length());
            if (columns.get(i).numeric()) {
                text.append(pad).append(line[i]);
            } else {
                text.append(line[i]).append(last ? "" : pad);
            }
            if (!last) {
                text.append("  ");
            }
        }
        return text.toString().stripTrailing();
    }

    /** Control characters (a newline in a payload) would break the table's lines. */
    private static String oneLine(String cell) {
        return cell.replaceAll("\\p{Cntrl}", " ");
    }
}
