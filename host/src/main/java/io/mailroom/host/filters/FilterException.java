package io.mailroom.host.filters;

/**
 * A filter that cannot be used, with where ({@code filter_query.all[2].op}) and a sentence. On
 * save it becomes a 400 naming the path; in a sync it is the mailbox's error.
 */
public final class FilterException extends RuntimeException {

    private final String path;

    public FilterException(String path, String sentence) {
        super(sentence);
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** For a mailbox's error: the path, then the sentence. */
    public String describe() {
        return path + ": " + getMessage();
    }
}
