package com.ott.rules.parental;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Severity;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Account;
import com.ott.rules.reference.Maturity;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * parental_rating: a profile started a title above its maturity tier without the parental PIN.
 * The profile's tier comes from the account's reference data when present, else the event.
 */
public final class ParentalRatingRule implements Rule {
  public static final String ID = "parental_rating";

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
    if (title == null || e.is(e.pinVerified())) {
      return;
    }
    Account account = ctx.reference().account(e.account());
    Maturity profile = Account.tierOf(account, e.profileId(), e.profileMaturity());
    Maturity tier = title.tier();
    if (!profile.below(tier)) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    Severity severity = profile.isKids() ? cfg.severity("kidsSeverity") : cfg.severity();
    JsonObject evidence = new JsonObject().put("contentId", e.content()).put("rating", title.rating())
        .put("titleTier", tier.name()).put("profileTier", profile.name()).put("pinVerified", false);
    out.add(ctx.finding(ID, severity, Subject.accountContent(e.account(), e.content()), e.eventId(), e.time(),
        ctx.window(ID, e.time()), evidence,
        "A " + profile.name() + " profile started '" + title.title() + "' (rated " + title.rating()
            + ") without the parental PIN."));
  }
}
