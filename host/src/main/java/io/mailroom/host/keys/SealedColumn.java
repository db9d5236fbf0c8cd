package io.mailroom.host.keys;

import java.util.function.Function;

/**
 * A column that holds sealed secrets, and what each row's secrets are sealed for. The
 * {@link SealedLayout} says how the column holds them (one sealed string, or a JSON document with
 * sealed values in it); {@code context} gives, from a row, the context of a {@link
 * SealedLayout#PLAIN} value, the owner of a {@link SealedLayout#SETTINGS} map's values (each
 * sealed for {@code owner:name}), or the rule id of {@link SealedLayout#RULE_ACTIONS}.
 *
 * @param idType    {@code bigint} or {@code text}: rows are read in batches in id order
 * @param valueType {@code text} or {@code jsonb}
 * @param extra     another column the context is made of (null: none)
 */
record SealedColumn(String table, String idColumn, String idType, String valueColumn, String valueType,
                    String extra, SealedLayout layout, Function<SealedRow, String> context) {

    /** The name an operator reads in the report: {@code mailbox_smtp.password}. */
    String name() {
        return table + "." + valueColumn;
    }

    /** Ids before every id: batches read the rows after the last id seen. */
    String firstAfter() {
        return idType.equals("bigint") ? Long.toString(Long.MIN_VALUE) : "";
    }

    String selectBatch() {
        return "SELECT " + idColumn + "::text AS id, " + (extra == null ? "NULL" : extra + "::text") + " AS extra, "
                + valueColumn + "::text AS value FROM " + table + " WHERE " + idColumn + " > CAST(:after AS " + idType
                + ") AND " + valueColumn + " IS NOT NULL ORDER BY " + idColumn + " LIMIT :limit";
    }

    /** Writes the resealed value only when the row still holds what was read: a running host may have changed it. */
    String update() {
        return "UPDATE " + table + " SET " + valueColumn + " = CAST(:resealed AS " + valueType + ") WHERE " + idColumn
                + " = CAST(:id AS " + idType + ") AND " + valueColumn + "::text = :read";
    }

    /** One row as read: its id, the extra column, the stored value (JSON as text). */
    record SealedRow(String id, String extra, String value) {
    }
}
