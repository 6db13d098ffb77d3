package com.ott.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestServicesTest {

  @Test
  void postgresAnswersSelectOne() throws Exception {
    assertThat(TestServices.pgUrl()).startsWith("postgresql://");
    try (Connection connection = DriverManager.getConnection(TestServices.pgJdbcUrl());
        ResultSet result = connection.createStatement().executeQuery("select 1")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void redisAnswersPing() throws Exception {
    URI redis = URI.create(TestServices.redisUrl());
    assertThat(redis.getScheme()).isEqualTo("redis");
    try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void jdbcUrlsCarryCredentialsAsParameters() {
    assertThat(TestServices.toJdbcUrl("postgresql://postgres@127.0.0.1:5432/test"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    assertThat(TestServices.toJdbcUrl("postgres://ott:s3cr%3At@db:6543/ott"))
        .isEqualTo("jdbc:postgresql://db:6543/ott?user=ott&password=s3cr%3At");
  }
}
