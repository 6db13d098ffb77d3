package com.ott.gateway.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.Failures;
import com.ott.contract.RulesAddresses;
import com.ott.contract.TenancyAddresses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/** Which breaker guards which address, and what counts against a service. */
class DownstreamTest {

  @Test
  void each_address_goes_through_the_breaker_of_its_service() {
    assertThat(Downstream.serviceOf(Addresses.INGEST_HTTP_BATCH)).isEqualTo("ingestion");
    assertThat(Downstream.serviceOf(Addresses.TENANCY_RESOLVE_KEY)).isEqualTo("tenancy");
    assertThat(Downstream.serviceOf(TenancyAddresses.METER)).isEqualTo("tenancy");
    assertThat(Downstream.serviceOf(RulesAddresses.PUT_CATALOG)).isEqualTo("rules");
    assertThat(Downstream.serviceOf(AlertAddresses.LIST)).isEqualTo("alerts");
    assertThat(Downstream.serviceOf(AlertAddresses.REPORT_COMPLIANCE)).isEqualTo("alerts");
    assertThat(Downstream.serviceOf(EncryptionAddresses.REWRAP)).isEqualTo("encryption");
    assertThat(Downstream.serviceOf(Addresses.STORE_GET_EVENT)).isEqualTo("store");
    assertThatThrownBy(() -> Downstream.serviceOf("vertx.circuit-breaker")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void only_a_service_that_does_not_answer_or_answers_5xx_is_unavailable() {
    assertThat(Downstream.isUnavailable(new ReplyException(ReplyFailure.NO_HANDLERS, "none"))).isTrue();
    assertThat(Downstream.isUnavailable(new ReplyException(ReplyFailure.TIMEOUT, "slow"))).isTrue();
    assertThat(Downstream.isUnavailable(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "down"))).isTrue();
    assertThat(Downstream.isUnavailable(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no such alert"))).isFalse();
    assertThat(Downstream.isUnavailable(Failures.reject(409, "conflict"))).isFalse();
  }
}
