package com.ott.contract.traffic;

import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Writes IAB TCF v2.2 TC strings (core segment only) with given purpose and vendor consents, as a
 * consent management platform would: the synthetic traffic needs real strings, and the rules
 * decode them with IAB Tech Lab's decoder.
 */
public final class TcStringEncoder {
  private static final int CMP_ID = 300;
  private static final int VENDOR_LIST_VERSION = 150;
  private static final int POLICY_VERSION = 4;

  private TcStringEncoder() {}

  /** A core-segment TC string created (and last updated) at {@code created}, consenting to those purposes and vendors. */
  public static String encode(Instant created, Set<Integer> purposes, Set<Integer> vendors) {
    Bits bits = new Bits();
    long deciseconds = created.toEpochMilli() / 100;
    bits.write(2, 6);
    bits.write(deciseconds, 36);
    bits.write(deciseconds, 36);
    bits.write(CMP_ID, 12);
    bits.write(1, 12);
    bits.write(1, 6);
    bits.letters("EN");
    bits.write(VENDOR_LIST_VERSION, 12);
    bits.write(POLICY_VERSION, 6);
    bits.write(1, 1); // service specific
    bits.write(0, 1); // standard texts
    bits.write(0, 12); // special feature opt-ins
    for (int p = 1; p <= 24; p++) {
      bits.write(purposes.contains(p) ? 1 : 0, 1);
    }
    bits.write(0, 24); // purposes legitimate interest
    bits.write(0, 1); // purpose one treatment
    bits.letters("AA");
    int maxVendor = vendors.stream().mapToInt(Integer::intValue).max().orElse(0);
    bits.write(maxVendor, 16);
    bits.write(0, 1); // bit field, not ranges
    for (int v = 1; v <= maxVendor; v++) {
      bits.write(vendors.contains(v) ? 1 : 0, 1);
    }
    bits.write(0, 16); // legitimate-interest vendors: none
    bits.write(0, 1);
    bits.write(0, 12); // publisher restrictions: none
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits.toBytes());
  }

  private static final class Bits {
    private byte[] bytes = new byte[64];
    private int length;

    void write(long value, int width) {
      for (int i = width - 1; i >= 0; i--) {
        if (length / 8 >= bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
        }
        if (((value >>> i) & 1) != 0) {
          bytes[length / 8] |= (byte) (0x80 >>> (length % 8));
        }
        length++;
      }
    }

    void letters(String two) {
      write(two.charAt(0) - 'A', 6);
      write(two.charAt(1) - 'A', 6);
    }

    byte[] toBytes() {
      return java.util.Arrays.copyOf(bytes, (length + 7) / 8);
    }
  }
}
