package io.mailroom.host.network;

import io.mailroom.api.AddressRefusedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule on resolved addresses: literals only, so no test here ever asks DNS or sends a packet. */
class PrivateAddressPolicyTest {

    private final PrivateAddressPolicy strict = new PrivateAddressPolicy(false);

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254",                     // loopback
            "10.0.0.1", "10.255.255.255",                       // private
            "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "192.168.255.255",
            "100.64.0.1", "100.127.255.255",                    // CGNAT
            "169.254.169.254", "169.254.0.1",                   // link-local, cloud metadata
            "224.0.0.1", "239.255.255.255",                     // multicast
            "0.0.0.0", "0.1.2.3", "255.255.255.255",            // unspecified, this network, broadcast
            "::1", "::",                                        // IPv6 loopback, unspecified
            "fe80::1", "febf::1",                               // link-local
            "fc00::1", "fd12:3456::1",                          // unique-local
            "ff02::1", "ff0e::1",                               // multicast
            "::ffff:127.0.0.1", "::ffff:10.1.2.3",              // IPv4-mapped
            "::ffff:169.254.169.254", "::ffff:192.168.1.1",
            "::127.0.0.1", "::10.0.0.1",                        // IPv4-compatible
            "::ffff:7f00:1", "0:0:0:0:0:ffff:a9fe:a9fe",        // IPv4-mapped in hex
            "192.0.0.192", "192.0.0.1",                         // IETF reserved (a cloud's metadata address)
            "198.18.0.1", "198.19.255.255", "240.0.0.1",        // benchmarking, reserved
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",            // NAT64 of loopback, metadata
            "2002:7f00:1::1", "2002:a00:1::", "2002:a9fe:a9fe::1" // 6to4 of loopback, private, metadata
    })
    void refuses_addresses_that_are_not_public(String literal) throws UnknownHostException {
        InetAddress address = literal(literal);

        assertThatThrownBy(() -> strict.check(address)).isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("not allowed").hasMessageContaining("mailroom.sources.allow.private.hosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.1.1", "192.167.1.1", "11.0.0.1", "223.255.255.255",
            "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "2a00:1450::1",
            "192.0.1.1", "198.17.255.255", "198.20.0.1", "223.0.0.1",
            "64:ff9b::808:808", "2002:808:808::1"})
    void allows_public_addresses(String literal) throws UnknownHostException {
        InetAddress address = literal(literal);

        assertThatCode(() -> strict.check(address)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fd00::1"})
    void allows_everything_when_the_operator_allows_private_hosts(String literal) throws UnknownHostException {
        InetAddress address = literal(literal);

        assertThatCode(() -> new PrivateAddressPolicy(true).check(address)).doesNotThrowAnyException();
    }

    @org.junit.jupiter.api.Test
    void a_name_is_refused_when_any_of_its_addresses_is_not_public() throws AddressRefusedException {
        assertThatThrownBy(() -> strict.checkHost("127.0.0.1")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.checkHost("[::1]")).hasMessageContaining("loopback");
        assertThat(new PrivateAddressPolicy(true).checkHost("127.0.0.1")).as("nothing resolved when allowed").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1", "0177.1", "127.1", "127.0.1",
            "017700000001", "127.0.0.1.", "0xA9FEA9FE", "169.254.43518", "0x0a.0.0.1", "00127.0.0.1", "127.000.0.1",
            "evil.example.0x7f", "host.123"})
    void refuses_a_host_written_as_a_number_in_any_form_but_a_plain_dotted_quad_without_asking_dns(String host) {
        assertThatThrownBy(() -> strict.checkHost(host)).isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("four decimal numbers");
        assertThatCode(() -> new PrivateAddressPolicy(true).checkHost(host)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "[2001:4860:4860::8888]"})
    void a_public_literal_passes_without_asking_dns(String host) {
        assertThatCode(() -> strict.checkHost(host)).doesNotThrowAnyException();
    }

    @org.junit.jupiter.api.Test
    void names_of_the_machine_itself_are_refused() {
        // resolved from /etc/hosts, never from DNS
        assertThatThrownBy(() -> strict.checkHost("localhost")).hasMessageContaining("localhost (127.0.0.1)")
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.checkHost("[::ffff:7f00:1]")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.checkHost("[0:0:0:0:0:ffff:127.0.0.1]")).hasMessageContaining("loopback");
    }

    /** An address from a literal: {@link InetAddress#getByName} parses literals without DNS. */
    private static InetAddress literal(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
