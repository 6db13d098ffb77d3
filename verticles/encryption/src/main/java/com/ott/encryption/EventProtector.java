package com.ott.encryption;

import static com.ott.contract.EncryptionAddresses.IP_NET;
import static com.ott.contract.EncryptionAddresses.SEALED;
import static com.ott.contract.EncryptionAddresses.TOKEN_PREFIX;
import static com.ott.contract.EncryptionAddresses.UNDECRYPTABLE;

import com.ott.contract.EventFields;
import com.ott.contract.Failures;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Protects and unprotects the personal fields of one tenant's events with that tenant's keys. No I/O: CPU only.
 *
 * <p>Protecting replaces each present personal field by its token, adds {@code ipNet} (the token of the IP's
 * /24 or /48 network, computed from the clear IP) and {@code sealed}: one AEAD ciphertext (base64) of all the
 * event's clear personal values together, so an event costs one encryption and one nonce and tag however many
 * fields it has. Its associated data is (tenant, eventId, "sealed"): moved to another tenant or event it does not
 * decrypt. Events protected before this format have {@code sealed} as an object of one ciphertext per field
 * (associated data (tenant, eventId, field)); they still unprotect, and the rewrap job moves them to the packed
 * format. A token's associated data is (tenant, field): the same value gives the same token within a tenant and
 * field, and another tenant's token does not decrypt.
 *
 * <p>Errors are {@link Failures.Rejection}s naming the event and field, never a value.
 */
public final class EventProtector {
  /** Fields always personal; a tenant may name more ({@code attributes.<name>} for one inside attributes). */
  public static final Set<String> DEFAULT_PERSONAL = EventFields.PERSONAL;
  private static final List<String> DEFAULT_ORDER = EventFields.PERSONAL_ORDER;
  private static final String ATTRIBUTES_PREFIX = EventFields.ATTRIBUTES + ".";
  private static final byte STRING_VALUE = 's';
  private static final byte JSON_VALUE = 'j';
  private static final byte TINK_PREFIX = 1;
  private static final byte[] PACKED_AD = SEALED.getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder TOKEN_DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder SEALED_ENCODER = Base64.getEncoder();
  private static final Base64.Decoder SEALED_DECODER = Base64.getDecoder();

  private final TenantKeys keys;
  private final byte[] tenant;

  public EventProtector(TenantKeys keys) {
    this.keys = keys;
    this.tenant = keys.tenantId().getBytes(StandardCharsets.UTF_8);
  }

  /** Checks the extra personal field names a caller asks for; answers them with the default ones, in order. */
  public static List<String> personalFields(Collection<?> extra) {
    return EventFields.personalFields(extra);
  }

  /** Protects the event in place and answers it. {@code personalFields} comes from {@link #personalFields}. */
  public JsonObject protect(JsonObject event, List<String> personalFields) {
    String eventId = eventId(event);
    if (event.containsKey(SEALED)) {
      throw Failures.reject(Failures.BAD_REQUEST, "event " + eventId + " is already protected (has sealed)");
    }
    Object ip = event.getValue(EventFields.IP);
    String network = ip instanceof String s ? networkOf(s) : null;
    PackedValues packed = null;
    for (String field : personalFields) {
      JsonObject holder = holder(event, field, false);
      String name = leaf(field);
      Object value = holder == null ? null : holder.getValue(name);
      if (value == null) {
        continue;
      }
      byte[] clear = encodeValue(value);
      if (packed == null) {
        packed = new PackedValues();
      }
      packed.add(field, clear);
      holder.put(name, tokenOf(field, clear));
    }
    if (network != null) {
      event.put(IP_NET, token(IP_NET, network));
    }
    if (packed != null) {
      try {
        event.put(SEALED, SEALED_ENCODER.encodeToString(keys.aead().encrypt(packed.bytes(), packedAd(eventId))));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("encryption failed for tenant " + keys.tenantId() + ": " + e.getMessage(), e);
      }
    }
    return event;
  }

  /**
   * Restores the clear personal fields of a protected event in place and answers it: from {@code sealed}, or
   * from the token when a field has no ciphertext; removes {@code sealed} and {@code ipNet}.
   */
  public JsonObject unprotect(JsonObject event) {
    String eventId = eventId(event);
    Object sealed = event.getValue(SEALED);
    Set<String> opened = new java.util.HashSet<>();
    if (sealed instanceof String packed) {
      for (Map.Entry<String, byte[]> entry : openPacked(eventId, packed).entrySet()) {
        String field = entry.getKey();
        holder(event, field, true).put(leaf(field), decodeValue(entry.getValue(), field));
        opened.add(field);
      }
    } else if (sealed instanceof JsonObject perField) {
      for (Map.Entry<String, Object> entry : perField) {
        String field = entry.getKey();
        holder(event, field, true).put(leaf(field), open(eventId, field, entry.getValue()));
        opened.add(field);
      }
    } else if (sealed != null) {
      throw undecryptable("event " + eventId + ": sealed is not a ciphertext");
    }
    for (String field : DEFAULT_ORDER) {
      if (!opened.contains(field) && event.getValue(field) instanceof String s && s.startsWith(TOKEN_PREFIX)) {
        event.put(field, valueOf(field, s));
      }
    }
    event.remove(SEALED);
    event.remove(IP_NET);
    return event;
  }

  /** The token of a clear value of a field ({@code ipNet} for a network such as {@code 203.0.113.0/24}). */
  public String token(String field, Object value) {
    return tokenOf(field, encodeValue(value));
  }

  /** The clear value behind a token of a field; fails when it is not this tenant's token for that field. */
  public Object valueOf(String field, String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      throw undecryptable(field + ": not a token");
    }
    byte[] clear;
    try {
      clear = keys.tokens().decryptDeterministically(
          TOKEN_DECODER.decode(token.substring(TOKEN_PREFIX.length())), tokenAd(field));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw undecryptable(field + ": the token is not this tenant's token for " + field
          + " (altered, or from another tenant or field)");
    }
    return decodeValue(clear, field);
  }

  /**
   * The event's {@code sealed} (packed, or the older object of one ciphertext per field) re-encrypted, packed,
   * under the primary key; null when it already is packed under the primary key. Fails like {@link #unprotect}
   * on a ciphertext that does not decrypt.
   */
  public String reseal(String eventId, Object sealed) {
    PackedValues packed = new PackedValues();
    if (sealed instanceof String current) {
      byte[] ciphertext = decodeSealed(eventId, "", current);
      if (keyIdOf(ciphertext) == keys.primaryKeyId()) {
        return null;
      }
      openPacked(eventId, current).forEach(packed::add);
    } else if (sealed instanceof JsonObject perField) {
      for (Map.Entry<String, Object> entry : perField) {
        String field = entry.getKey();
        byte[] ciphertext = decodeSealed(eventId, field, entry.getValue());
        try {
          packed.add(field, keys.aead().decrypt(ciphertext, sealAd(eventId, field)));
        } catch (GeneralSecurityException e) {
          throw undecryptable(cannotDecrypt(eventId, field));
        }
      }
    } else {
      throw undecryptable("event " + eventId + ": sealed is not a ciphertext");
    }
    try {
      return SEALED_ENCODER.encodeToString(keys.aead().encrypt(packed.bytes(), packedAd(eventId)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed for tenant " + keys.tenantId() + ": " + e.getMessage(), e);
    }
  }

  /** The clear values of a packed {@code sealed}: field -> encoded value, in the order they were sealed. */
  private Map<String, byte[]> openPacked(String eventId, String sealed) {
    byte[] clear;
    try {
      clear = keys.aead().decrypt(decodeSealed(eventId, "", sealed), packedAd(eventId));
    } catch (GeneralSecurityException e) {
      throw undecryptable("event " + eventId + ": sealed does not decrypt with this tenant's keys "
          + "(altered, or moved from another tenant or event)");
    }
    Map<String, byte[]> values = PackedValues.read(clear);
    if (values == null) {
      throw undecryptable("event " + eventId + ": sealed decrypts to values that are not in the expected format");
    }
    return values;
  }

  /**
   * The clear values sealed together: a format byte, then per field a 2-byte name length, the name, a 4-byte value
   * length and the value (type tag and bytes). Binary rather than JSON: no escaping, and the sizes are exact.
   */
  private static final class PackedValues {
    private static final byte FORMAT = 1;
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96);

    PackedValues() {
      out.write(FORMAT);
    }

    void add(String field, byte[] value) {
      byte[] name = field.getBytes(StandardCharsets.UTF_8);
      out.write(name.length >>> 8);
      out.write(name.length);
      out.writeBytes(name);
      out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
      out.writeBytes(value);
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    /** The values, or null when the bytes are not this format. */
    static Map<String, byte[]> read(byte[] clear) {
      if (clear.length == 0 || clear[0] != FORMAT) {
        return null;
      }
      Map<String, byte[]> values = new java.util.LinkedHashMap<>();
      ByteBuffer in = ByteBuffer.wrap(clear, 1, clear.length - 1);
      while (in.hasRemaining()) {
        if (in.remaining() < 2) {
          return null;
        }
        int nameLength = in.getShort() & 0xffff;
        if (in.remaining() < nameLength + 4) {
          return null;
        }
        byte[] name = new byte[nameLength];
        in.get(name);
        int valueLength = in.getInt();
        if (valueLength < 0 || in.remaining() < valueLength) {
          return null;
        }
        byte[] value = new byte[valueLength];
        in.get(value);
        values.put(new String(name, StandardCharsets.UTF_8), value);
      }
      return values;
    }
  }

  /** The Tink key id a ciphertext was made with, or -1 when it carries none. */
  static long keyIdOf(byte[] ciphertext) {
    if (ciphertext.length < 5 || ciphertext[0] != TINK_PREFIX) {
      return -1;
    }
    return Integer.toUnsignedLong(ByteBuffer.wrap(ciphertext, 1, 4).getInt());
  }

  /** The IPv4 /24 or IPv6 /48 network of an address, e.g. {@code 203.0.113.0/24}; null when it is not an IP. */
  public static String networkOf(String ip) {
    if (ip.indexOf(':') < 0) {
      int[] octets = ipv4(ip);
      return octets == null ? null : octets[0] + "." + octets[1] + "." + octets[2] + ".0/24";
    }
    String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    // only hex digits, ':' and '.': InetAddress then parses a literal and never resolves a name
    if (literal.isEmpty() || !literal.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
      return null;
    }
    byte[] b;
    try {
      b = java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
    }
    return Integer.toHexString(((b[0] & 0xff) << 8) | (b[1] & 0xff)) + ":"
        + Integer.toHexString(((b[2] & 0xff) << 8) | (b[3] & 0xff)) + ":"
        + Integer.toHexString(((b[4] & 0xff) << 8) | (b[5] & 0xff)) + "::/48";
  }

  private static int[] ipv4(String ip) {
    int[] octets = new int[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else if (c == '.' && value >= 0 && part < 3) {
        octets[part++] = value;
        value = -1;
      } else {
        return null;
      }
    }
    if (part != 3 || value < 0) {
      return null;
    }
    octets[3] = value;
    return octets;
  }

  private String tokenOf(String field, byte[] clear) {
    try {
      return TOKEN_PREFIX + TOKEN_ENCODER.encodeToString(keys.tokens().encryptDeterministically(clear, tokenAd(field)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("tokenisation failed for tenant " + keys.tenantId() + ": " + e.getMessage(), e);
    }
  }

  private Object open(String eventId, String field, Object ciphertext) {
    byte[] clear;
    try {
      clear = keys.aead().decrypt(decodeSealed(eventId, field, ciphertext), sealAd(eventId, field));
    } catch (GeneralSecurityException e) {
      throw undecryptable(cannotDecrypt(eventId, field));
    }
    return decodeValue(clear, field);
  }

  /** The bytes of a base64 ciphertext: {@code field} names it inside an older per-field sealed, "" for a packed one. */
  private static byte[] decodeSealed(String eventId, String field, Object ciphertext) {
    String where = field.isEmpty() ? "sealed" : "sealed." + field;
    if (!(ciphertext instanceof String s)) {
      throw undecryptable("event " + eventId + ": " + where + " is not a base64 ciphertext");
    }
    try {
      return SEALED_DECODER.decode(s);
    } catch (IllegalArgumentException e) {
      throw undecryptable("event " + eventId + ": " + where + " is not a base64 ciphertext");
    }
  }

  private static String cannotDecrypt(String eventId, String field) {
    return "event " + eventId + ": sealed." + field + " does not decrypt with this tenant's keys "
        + "(altered, or moved from another tenant, event or field)";
  }

  private static Failures.Rejection undecryptable(String message) {
    return Failures.reject(UNDECRYPTABLE, message);
  }

  private static String eventId(JsonObject event) {
    if (!(event.getValue(EventFields.EVENT_ID) instanceof String id) || id.isEmpty()) {
      throw Failures.reject(Failures.BAD_REQUEST, "every event needs an eventId: it binds the ciphertexts to the event");
    }
    return id;
  }

  /** The object holding a field: the event, or its attributes for {@code attributes.<name>}. */
  private static JsonObject holder(JsonObject event, String field, boolean create) {
    if (!field.startsWith(ATTRIBUTES_PREFIX)) {
      return event;
    }
    Object attributes = event.getValue(EventFields.ATTRIBUTES);
    if (attributes instanceof JsonObject a) {
      return a;
    }
    if (!create) {
      return null;
    }
    JsonObject a = new JsonObject();
    event.put(EventFields.ATTRIBUTES, a);
    return a;
  }

  private static String leaf(String field) {
    return field.startsWith(ATTRIBUTES_PREFIX) ? field.substring(ATTRIBUTES_PREFIX.length()) : field;
  }

  // a type tag, so a value comes back as the JSON type it went in as
  private static byte[] encodeValue(Object value) {
    byte[] body;
    byte tag;
    if (value instanceof String s) {
      body = s.getBytes(StandardCharsets.UTF_8);
      tag = STRING_VALUE;
    } else {
      body = Json.encode(value).getBytes(StandardCharsets.UTF_8);
      tag = JSON_VALUE;
    }
    byte[] out = new byte[body.length + 1];
    out[0] = tag;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private static Object decodeValue(byte[] clear, String field) {
    if (clear.length == 0) {
      throw undecryptable(field + ": decrypted value is not in the expected format");
    }
    String text = new String(clear, 1, clear.length - 1, StandardCharsets.UTF_8);
    if (clear[0] == STRING_VALUE) {
      return text;
    }
    if (clear[0] == JSON_VALUE) {
      try {
        return Json.decodeValue(text);
      } catch (DecodeException e) {
        // falls through to the error below
      }
    }
    throw undecryptable(field + ": decrypted value is not in the expected format");
  }

  private byte[] sealAd(String eventId, String field) {
    return associatedData(tenant, eventId.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] packedAd(String eventId) {
    return associatedData(tenant, eventId.getBytes(StandardCharsets.UTF_8), PACKED_AD);
  }

  private byte[] tokenAd(String field) {
    return associatedData(tenant, field.getBytes(StandardCharsets.UTF_8));
  }

  // length-prefixed parts, so ("ab","c") and ("a","bc") never give the same associated data
  private static byte[] associatedData(byte[]... parts) {
    int size = 0;
    for (byte[] p : parts) {
      size += 4 + p.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    for (byte[] p : parts) {
      buffer.putInt(p.length).put(p);
    }
    return buffer.array();
  }
}
