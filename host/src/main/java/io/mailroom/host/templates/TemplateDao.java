package io.mailroom.host.templates;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** Templates; a null viewer is a superadmin, who sees every user's. */
public interface TemplateDao {

    String VISIBLE = "(CAST(:viewer AS BIGINT) IS NULL OR user_id = :viewer)";

    @SqlQuery("SELECT * FROM templates WHERE id = :id AND " + VISIBLE)
    Optional<Template> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT * FROM templates WHERE " + VISIBLE + " AND id > :afterId ORDER BY id LIMIT :limit")
    List<Template> page(@Bind("viewer") Long viewer, @Bind("afterId") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM templates WHERE " + VISIBLE)
    long count(@Bind("viewer") Long viewer);

    @SqlUpdate("INSERT INTO templates (user_id, name, subject, text_body, html_body) "
            + "VALUES (:userId, :name, :subject, :text, :html)")
    @GetGeneratedKeys("id")
    long insert(@Bind("userId") long userId, @Bind("name") String name, @Bind("subject") String subject,
                @Bind("text") String text, @Bind("html") String html);

    @SqlUpdate("UPDATE templates SET name = :name, subject = :subject, text_body = :text, html_body = :html, "
            + "updated_at = now() WHERE id = :id")
    void update(@Bind("id") long id, @Bind("name") String name, @Bind("subject") String subject,
                @Bind("text") String text, @Bind("html") String html);

    @SqlUpdate("DELETE FROM templates WHERE id = :id AND " + VISIBLE)
    int delete(@Bind("id") long id, @Bind("viewer") Long viewer);
}
