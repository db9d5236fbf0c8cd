package io.mailroom.host.mime;

/**
 * Joins the soft-wrapped lines of {@code text/plain; format=flowed} (RFC 3676) back into
 * paragraphs, so the stored text reads as the sender wrote it rather than at 72 columns.
 * A line ending in a space continues on the next line of the same quote depth; with
 * {@code delsp=yes} that space is removed; space-stuffing is undone; "-- " stays a signature line.
 */
final class FlowedText {

    private FlowedText() {
    }

    static String unflow(String text, boolean delSp) {
        String[] lines = text.split("\r\n|\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        StringBuilder paragraph = null;
        int paragraphDepth = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int depth = 0;
            while (depth < line.length() && line.charAt(depth) == '>') {
                depth++;
            }
            String content = line.substring(depth);
            if (content.startsWith(" ")) {
                content = content.substring(1); // space-stuffing, or the space after quote marks
            }
            boolean flowed = content.endsWith(" ") && !content.equals("-- ");
            if (paragraph != null && depth != paragraphDepth) {
                finish(out, paragraph, paragraphDepth); // quote depth changed: the paragraph ends here
                out.append('\n');
                paragraph = null;
            }
            if (paragraph == null) {
                paragraph = new StringBuilder();
                paragraphDepth = depth;
            }
            paragraph.append(flowed && delSp ? content.substring(0, content.length() - 1) : content);
            if (!flowed) {
                finish(out, paragraph, paragraphDepth);
                paragraph = null;
                if (i < lines.length - 1) {
                    out.append('\n');
                }
            }
        }
        if (paragraph != null) {
            finish(out, paragraph, paragraphDepth);
        }
        return out.toString();
    }

    private static void finish(StringBuilder out, StringBuilder paragraph, int depth) {
        if (depth > 0) {
            out.append(">".repeat(depth)).append(' ');
        }
        out.append(paragraph);
    }
}
