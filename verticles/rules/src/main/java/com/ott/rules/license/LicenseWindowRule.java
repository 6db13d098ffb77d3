package com.ott.rules.license;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * license_window: playback outside the title's [availableFrom, availableUntil) (UTC, end
 * exclusive). A start outside the window is one finding per title and window; a heartbeat
 * outside it (typically a session running past availableUntil) is a separate, lower finding per
 * session.
 */
public final class LicenseWindowRule implements Rule {
  public static final String ID = "license_window";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.PLAYBACK_START || type == EventType.PLAYBACK_HEARTBEAT;
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    Title title = ctx.reference().title(e.content());
    if (title == null || title.availableAt(e.time())) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    boolean before = title.availableFrom() != null && e.time() < title.availableFrom().toEpochMilli();
    JsonObject evidence = new JsonObject().put("contentId", e.content())
        .put("availableFrom", title.availableFrom() == null ? null : title.availableFrom().toString())
        .put("availableUntil", title.availableUntil() == null ? null : title.availableUntil().toString());
    String when = before ? "before its licence starts" : "after its licence ended";
    if (e.type() == EventType.PLAYBACK_START) {
      out.add(ctx.finding(ID, cfg.severity(), Subject.content(e.content()), e.eventId(), e.time(),
          ctx.window(ID, e.time()), evidence.put("kind", "start"),
          "Title '" + title.title() + "' was started " + when + "."));
    } else if (e.session() != null) {
      out.add(ctx.finding(ID, cfg.severity("heartbeatSeverity"), new Subject(null, e.content(), e.session()),
          e.eventId(), e.time(), null, evidence.put("kind", "heartbeat"),
          "A session of title '" + title.title() + "' was still playing " + when + "."));
    }
  }
}
