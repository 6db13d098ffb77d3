package com.ott.rules.captions;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * captions_missing: a title that requires captions (it aired on TV with captions, so US rules
 * for IP-delivered video apply) was started without a caption track ({@code captions: false}).
 */
public final class CaptionsMissingRule implements Rule {
  public static final String ID = "captions_missing";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.PLAYBACK_START;
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    Title title = ctx.reference().title(e.content());
    // only an explicit false: a player that does not report captions proves nothing
    if (title == null || !title.requiresCaptions() || !Boolean.FALSE.equals(e.captions())) {
      return;
    }
    out.add(ctx.finding(ID, ctx.config(ID).severity(), Subject.content(e.content()), e.eventId(), e.time(),
        ctx.window(ID, e.time()), new JsonObject().put("contentId", e.content()).put("captions", false),
        "Title '" + title.title() + "' requires captions but was played without a caption track."));
  }
}
