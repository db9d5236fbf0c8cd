package io.mailroom.host.messages;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** The recorded steps of the processing chain, one row per message, step, rule, action index and generation. */
public interface ProcessingStepDao {

    /** Records a step; a failed one recorded before is replaced (a reprocess tried it again), a settled one kept. */
    @SqlUpdate("INSERT INTO processing_steps (message_id, step, rule_id, action_index, generation, action, status, "
            + "detail, error, effects) VALUES (:messageId, :step, :ruleId, :index, :generation, :action, :status, "
            + ":detail, :error, CAST(:effects AS jsonb)) "
            + "ON CONFLICT (message_id, step, rule_id, action_index, generation) DO UPDATE SET status = EXCLUDED.status, "
            + "detail = EXCLUDED.detail, error = EXCLUDED.error, effects = EXCLUDED.effects, at = now() "
            + "WHERE processing_steps.status = 'failed'")
    int record(@Bind("messageId") long messageId, @Bind("step") String step, @Bind("ruleId") long ruleId,
               @Bind("index") int actionIndex, @Bind("generation") int generation, @Bind("action") String action,
               @Bind("status") String status, @Bind("detail") String detail, @Bind("error") String error,
               @Bind("effects") String effectsJson);

    @SqlQuery("SELECT id, message_id, step, rule_id, action_index, generation, action, status, detail, error, "
            + "effects::text AS effects, at FROM processing_steps WHERE message_id = :messageId ORDER BY id")
    List<ProcessingStep> forMessage(@Bind("messageId") long messageId);

    @SqlQuery("SELECT id, message_id, step, rule_id, action_index, generation, action, status, detail, error, "
            + "effects::text AS effects, at FROM processing_steps WHERE message_id = :messageId "
            + "AND generation = :generation ORDER BY id")
    List<ProcessingStep> forGeneration(@Bind("messageId") long messageId, @Bind("generation") int generation);

    /** The newest generation recorded for the message, 0 when none. */
    @SqlQuery("SELECT coalesce(max(generation), 0) FROM processing_steps WHERE message_id = :messageId")
    int lastGeneration(@Bind("messageId") long messageId);

    /** Records the post-action step, done, of many messages at once (a mailbox without rules or sink). */
    @SqlUpdate("INSERT INTO processing_steps (message_id, step, status, detail) "
            + "SELECT unnest(:ids), 'post_action', 'done', unnest(:details)")
    void recordPostActions(@Bind("ids") Long[] messageIds, @Bind("details") String[] details);
}
