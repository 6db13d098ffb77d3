package com.ott.rules.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkPrefixTest {

  @Test
  void ipv4AddressesShareA24() {
    assertThat(NetworkPrefix.of("203.0.113.7")).isEqualTo("203.0.113.0/24");
    assertThat(NetworkPrefix.of("203.0.113.250")).isEqualTo("203.0.113.0/24");
    assertThat(NetworkPrefix.of("203.0.114.7")).isEqualTo("203.0.114.0/24");
  }

  @Test
  void ipv6AddressesShareA48WhateverTheirSpelling() {
    assertThat(NetworkPrefix.of("2001:db8:1:2::5")).isEqualTo("2001:db8:1::/48");
    assertThat(NetworkPrefix.of("2001:0DB8:0001:ffff:0:0:0:9")).isEqualTo("2001:db8:1::/48");
    assertThat(NetworkPrefix.of("2001:db8::1")).isEqualTo("2001:db8:0::/48");
    assertThat(NetworkPrefix.of("::ffff:192.0.2.1")).isEqualTo("0:0:0::/48");
    assertThat(NetworkPrefix.of("fe80::1%eth0")).isEqualTo("fe80:0:0::/48");
  }

  @Test
  void tokensAndGarbageHaveNoPrefix() {
    assertThat(NetworkPrefix.of("tok-abc")).isNull();
    assertThat(NetworkPrefix.of("1:2:3")).isNull();
    assertThat(NetworkPrefix.of(null)).isNull();
  }
}
