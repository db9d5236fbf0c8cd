package io.mailroom.host.demo;

import java.util.List;

/**
 * Who is who in the demo: the support mailbox Mailroom syncs, and the customers who write to it.
 * Each has an account on the demo mail server with the password {@value #PASSWORD}, so mail
 * Mailroom sends them is delivered and can be read, and anyone can log in as a customer with a
 * mail client and write to support. The seed mail ({@code mail/*.eml}) uses these addresses.
 */
final class DemoPeople {

    /** Every demo account's password: the server listens on loopback only and holds only the seed. */
    static final String PASSWORD = "demo";

    record Person(String name, String email) {
    }

    static final Person SUPPORT = new Person("Northwind Support", "support@northwind.example");
    static final Person ANN = new Person("Ann Smith", "ann@acme.example");
    static final Person BOB = new Person("Bob Jones", "bob@acme.example");
    static final Person ZOE = new Person("Zoë Çelik", "zoe@acme.example");
    static final Person CARLOS = new Person("Carlos Ruiz", "carlos@acme.example");

    /** The customer company and its domain. */
    static final String COMPANY = "Acme Ltd";
    static final String COMPANY_DOMAIN = "acme.example";

    /** The contacts the directory starts with (Carlos writes only an out-of-office reply). */
    static final List<Person> CONTACTS = List.of(ANN, BOB, ZOE);

    /** Accounts on the demo mail server. */
    static final List<Person> ACCOUNTS = List.of(SUPPORT, ANN, BOB, ZOE, CARLOS);

    private DemoPeople() {
    }
}
