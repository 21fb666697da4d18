package org.tianshu.adapter.srv6;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tianshu.api.plane.ProbeResult;

class PingOutputTest {

    @Test
    void repliesAndTheirTimes() {
        ProbeResult r = PingOutput.parse("""
                PING 2409:8000:a:200::1 (2409:8000:a:200::1) 56 data bytes
                64 bytes from 2409:8000:a:200::1: icmp_seq=1 ttl=61 time=0.300 ms
                64 bytes from 2409:8000:a:200::1: icmp_seq=2 ttl=61 time=0.100 ms
                64 bytes from 2409:8000:a:200::1: icmp_seq=2 ttl=61 time=0.900 ms (DUP!)
                64 bytes from 2409:8000:a:200::1: icmp_seq=4 ttl=61 time=1.250 ms

                --- 2409:8000:a:200::1 ping statistics ---
                4 packets transmitted, 3 received, +1 duplicates, 25% packet loss, time 31ms
                rtt min/avg/max/mdev = 0.100/0.550/1.250/0.400 ms
                """, 4);
        assertThat(r).isEqualTo(new ProbeResult(4, 3, 300, 1250));
        assertThat(r.loss()).isEqualTo(0.25);
    }

    @Test
    void nothingBack() {
        assertThat(PingOutput.parse("""
                PING 10.16.9.1 (10.16.9.1) 56(84) bytes of data.
                From 10.16.1.2 icmp_seq=1 Destination Net Unreachable

                --- 10.16.9.1 ping statistics ---
                5 packets transmitted, 0 received, +1 errors, 100% packet loss, time 41ms
                """, 5)).isEqualTo(new ProbeResult(5, 0, -1, -1));
    }

    @Test
    void noRouteAtAllCountsEveryProbeAsLost() {
        assertThat(PingOutput.parse("ping: connect: Network is unreachable\n", 3)).isEqualTo(new ProbeResult(3, 0, -1, -1));
    }
}
