package com.ott.contract.traffic;

import java.time.Instant;

/**
 * A finding the rules must produce for generated traffic: the rule, the severity (with the
 * default settings of conf/rules.yaml), the subject and the event time it is about. The alert
 * window it falls in is the rule's window holding {@code at}: for {@code credential_sharing}
 * {@code at} is the start of the violating day, for {@code kids_ad_minutes} the start of the
 * clock hour, and a {@code license_window} finding with a session is per session (no window).
 */
public record ExpectedFinding(String ruleId, String severity, String accountId, String contentId, String sessionId,
    Instant at) {}
