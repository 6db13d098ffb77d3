package com.ott.rules.kidsads;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Account;
import com.ott.rules.reference.Maturity;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * kids_targeted_ad: a personalised ad, or one whose request carries personal identifiers, on a
 * kids profile or on kids content (COPPA; EU AVMSD art. 6a; DSA art. 28).
 */
public final class KidsTargetedAdRule implements Rule {
  public static final String ID = "kids_targeted_ad";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.AD_IMPRESSION;
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    boolean personalized = e.is(e.adPersonalized());
    boolean personalIds = e.is(e.personalIds());
    if (!personalized && !personalIds) {
      return;
    }
    Title title = ctx.reference().title(e.content());
    Account account = ctx.reference().account(e.account());
    Maturity profile = Account.tierOf(account, e.profileId(), e.profileMaturity());
    boolean kidsContent = title != null && title.kidsContent();
    if (!profile.isKids() && !kidsContent) {
      return;
    }
    JsonObject evidence = new JsonObject().put("contentId", e.content()).put("adPersonalized", personalized)
        .put("personalIds", personalIds).put("profileTier", profile.name()).put("kidsContent", kidsContent)
        .put("thirdParty", e.thirdParty());
    String what = personalized ? "A personalised ad" : "An ad request carrying personal identifiers";
    String where = profile.isKids() ? "a " + profile.name() + " profile" : "kids content";
    out.add(ctx.finding(ID, ctx.config(ID).severity(), Subject.accountContent(e.account(), e.content()),
        e.eventId(), e.time(), ctx.window(ID, e.time()), evidence, what + " was served on " + where + "."));
  }
}
