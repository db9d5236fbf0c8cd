package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.auth.Role;
import io.mailroom.host.auth.User;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterOperators;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules the processing chain gets for a mailbox: which apply, in which order, with their
 * secrets opened, and a rule that cannot run now reported rather than thrown.
 */
class RuleBookTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static Database database;
    static Jdbi jdbi;
    static SecretSealer sealer = new SecretSealer(MasterKeys.of(List.of(new byte[32])));
    static FilterCompiler compiler = new FilterCompiler(new FilterOperators(null));
    static Rules rules;
    static RuleBook book;
    static User ann;
    static User bob;
    static long annInbox;
    static long annSales;
    static long bobInbox;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        rules = new Rules(jdbi, new Mailboxes(jdbi, null, null, 500, Duration.ofMinutes(1), id -> {
        }, auth -> Optional.empty()), compiler, SampleActions.only(), sealer);
        book = new RuleBook(jdbi, compiler, sealer);
        ann = user("Ann");
        bob = user("Bob");
        annInbox = mailbox(ann, "inbox@ann.example");
        annSales = mailbox(ann, "sales@ann.example");
        bobInbox = mailbox(bob, "inbox@bob.example");
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void a_mailbox_gets_its_own_and_its_owners_rules_for_all_mailboxes_active_only_by_priority_then_id() {
        long late = rule(ann, annInbox, "late", 200, true);
        long global = rule(ann, null, "global", 50, true);
        long first = rule(ann, annInbox, "first", 10, true);
        long tie = rule(ann, annInbox, "tie with global", 50, true);
        rule(ann, annInbox, "inactive", 1, false);
        rule(ann, annSales, "other mailbox", 1, true);
        rule(bob, null, "bob's global", 1, true);
        rule(bob, bobInbox, "bob's inbox", 1, true);

        assertThat(book.rulesFor(annInbox)).extracting(ActiveRule::id).containsExactly(first, global, tie, late);
        assertThat(book.rulesFor(annSales)).extracting(ActiveRule::name).containsExactly("other mailbox", "global");
        assertThat(book.rulesFor(bobInbox)).extracting(ActiveRule::name).containsExactly("bob's global", "bob's inbox");
        assertThat(book.rulesFor(999_999)).isEmpty();
    }

    @Test
    void actions_come_in_order_with_their_secrets_opened_and_their_conditions_compiled() throws Exception {
        // each test but the first has a user of its own: the first one's rule for all mailboxes would apply here
        User carol = user("Carol");
        long mailbox = mailbox(carol, "secrets@carol.example");
        Rule saved = rules.create(carol, JSON.readTree("""
                {"mailbox_id": %d, "name": "signed", "stop": true,
                 "condition": {"field": "subject", "op": "contains", "value": "invoice"},
                 "actions": [{"type": "label", "data": {"tag": "invoice"}},
                             {"type": "notify", "data": {"to": ["a@x.example", "b@x.example"], "text": "hi", "key": "k-123"}}]}
                """.formatted(mailbox)));
        assertThat(saved.actions()).doesNotContain("k-123");

        ActiveRule rule = book.rulesFor(mailbox).getFirst();
        assertThat(rule.problem()).isNull();
        assertThat(rule.condition()).isNotNull();
        assertThat(rule.stop()).isTrue();
        assertThat(rule.actions()).extracting(ActiveAction::index, ActiveAction::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "label"), org.assertj.core.groups.Tuple.tuple(1, "notify"));
        ActiveAction notify = rule.actions().get(1);
        assertThat(notify.data().get("key")).isEqualTo("k-123");
        assertThat(notify.data().getList("to")).containsExactly("a@x.example", "b@x.example");
        assertThat(notify.data().getInt("copies")).isEqualTo(1);
        assertThat(notify.data().toString()).doesNotContain("k-123");
    }

    @Test
    void a_condition_naming_an_operator_no_longer_served_gives_a_problem_not_an_exception() {
        User dan = user("Dan");
        long mailbox = mailbox(dan, "problem@dan.example");
        // as saved while a plugin served length_is; that plugin is not running now
        jdbi.useHandle(handle -> handle.execute("INSERT INTO rules (owner_user_id, mailbox_id, name, condition, actions) "
                + "VALUES (?, ?, 'by length', ?::jsonb, '[{\"type\":\"label\",\"data\":{\"tag\":\"x\"},\"secrets\":[]}]')",
                dan.id(), mailbox, "{\"not\": {\"field\": \"subject\", \"op\": \"length_is\", \"value\": 5}}"));
        long fine = rule(dan, mailbox, "fine", 500, true);

        List<ActiveRule> loaded = book.rulesFor(mailbox);

        assertThat(loaded).hasSize(2);
        assertThat(loaded.getFirst().condition()).isNull();
        assertThat(loaded.getFirst().problem()).contains("condition.not.op").contains("length_is");
        assertThat(loaded.get(1).id()).isEqualTo(fine);
        assertThat(loaded.get(1).problem()).isNull();
    }

    @Test
    void a_secret_that_no_longer_opens_gives_a_problem() {
        User eve = user("Eve");
        long mailbox = mailbox(eve, "rotated@eve.example");
        long id = rule(eve, mailbox, "keyed", 1, true);
        // sealed for another rule: does not open for this one
        String alien = sealer.seal("k", "rule:0:action:0:key");
        jdbi.useHandle(handle -> handle.execute("UPDATE rules SET actions = ?::jsonb WHERE id = ?",
                "[{\"type\":\"notify\",\"data\":{\"to\":\"a@x.example\",\"text\":\"t\",\"key\":\"" + alien
                        + "\"},\"secrets\":[\"key\"]}]", id));

        ActiveRule rule = book.rulesFor(mailbox).getFirst();

        assertThat(rule.condition()).isNull();
        assertThat(rule.problem()).contains("cannot be opened");
    }

    private static long rule(User owner, Long mailbox, String name, int priority, boolean active) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "priority", priority, "active", active,
                "actions", List.of(Map.of("type", "label", "data", Map.of("tag", name)))));
        body.put("mailbox_id", mailbox);
        return rules.create(owner, JSON.valueToTree(body)).id();
    }

    private static User user(String name) {
        long id = jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO users (name, email, role) VALUES (?, ?, 'user')")
                .bind(0, name).bind(1, name.toLowerCase() + "@example.com").executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class).one());
        return new User(id, name, name.toLowerCase() + "@example.com", Role.USER, List.of());
    }

    private static long mailbox(User owner, String email) {
        return jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                + "VALUES (?, ?, ?, 'imap')").bind(0, owner.id()).bind(1, email).bind(2, email)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }
}
